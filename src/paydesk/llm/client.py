"""The chat-completions client (the official `openai` package against any compatible `base_url`): JSON replies,
timeouts, retries with backoff on 429/5xx/timeouts, and a token budget per conversation. Every failure is an
LLMUnavailable, which the engines turn into a fallback to the embedded engine for that turn."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from typing import Any, cast

import openai

from paydesk.domain.errors import UpstreamError


class LLMUnavailable(UpstreamError):
    """The model did not give a usable answer: `code` says why (timeout, status_500, budget, invalid...)."""

    code = "llm_unavailable"


@dataclass(frozen=True)
class LLMSettings:
    base_url: str
    model: str
    api_key: str = "not-needed"
    timeout: float = 10.0
    retries: int = 2
    backoff: float = 0.5
    token_budget: int = 20_000  # per conversation


class ChatClient:
    def __init__(self, settings: LLMSettings) -> None:
        self.settings = settings
        self._client = openai.OpenAI(
            base_url=settings.base_url,
            api_key=settings.api_key or "not-needed",
            timeout=settings.timeout,
            max_retries=0,
        )
        self._spent: dict[str, int] = {}
        self._lock = threading.Lock()

    def spent(self, conversation: str) -> int:
        with self._lock:
            return self._spent.get(conversation, 0)

    def chat(self, messages: list[dict[str, str]], conversation: str | None = None) -> str:
        """The assistant message's text of one completion asked for as a JSON object."""
        key = conversation or ""
        if conversation and self.spent(conversation) >= self.settings.token_budget:
            raise LLMUnavailable("the conversation's token budget is spent", code="budget")
        last: Exception | None = None
        for attempt in range(self.settings.retries + 1):
            if attempt:
                time.sleep(self.settings.backoff * 2 ** (attempt - 1))
            try:
                response = self._client.chat.completions.create(
                    model=self.settings.model,
                    messages=cast(Any, messages),  # plain role/content dicts
                    temperature=0,
                    response_format={"type": "json_object"},
                )
            except openai.APITimeoutError as exc:
                last, code = exc, "timeout"
            except openai.APIConnectionError as exc:
                last, code = exc, "connection"
            except openai.APIStatusError as exc:
                last, code = exc, f"status_{exc.status_code}"
                if exc.status_code not in (408, 409, 429) and exc.status_code < 500:
                    break  # the request itself is wrong: retrying won't help
            except (openai.APIError, ValueError) as exc:  # includes a body that is not JSON
                last, code = exc, "malformed"
                break
            else:
                usage = response.usage.total_tokens if response.usage else 0
                with self._lock:
                    self._spent[key] = self._spent.get(key, 0) + usage
                if not response.choices:
                    raise LLMUnavailable("the completion has no choices", code="malformed")
                message = response.choices[0].message
                if message.tool_calls:
                    raise LLMUnavailable("the model called a tool; none is offered", code="tool_call")
                return message.content or ""
        raise LLMUnavailable(f"the model is unavailable: {last}", code=code)

    def json(self, system: str, payload: dict[str, Any], conversation: str | None = None) -> Any:
        """The model's JSON answer to a JSON payload (customer text travels inside it as a string: data, not
        instructions). A reply that is not JSON gets one repair request."""
        messages = [
            {"role": "system", "content": system},
            {"role": "user", "content": json.dumps(payload, ensure_ascii=False)},
        ]
        text = self.chat(messages, conversation)
        try:
            return json.loads(text)
        except ValueError:
            return self.repair(messages, text, "the reply is not a JSON object", conversation)

    def repair(self, messages: list[dict[str, str]], reply: str, problem: str, conversation: str | None) -> Any:
        """One more try after an unusable reply."""
        again = [
            *messages,
            {"role": "assistant", "content": reply[:4000]},
            {"role": "user", "content": f"That reply is unusable: {problem}. Answer with the JSON object only."},
        ]
        text = self.chat(again, conversation)
        try:
            return json.loads(text)
        except ValueError as exc:
            raise LLMUnavailable("the reply is not JSON, twice", code="invalid") from exc
