from __future__ import annotations

from datetime import UTC, datetime

from paydesk.store import fixtures
from paydesk.store.conversations import ConversationRow, Conversations
from paydesk.store.database import Store
from paydesk.store.demo import demo_ledger

AT = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


def test_a_conversations_history_is_its_messages_in_order_as_stored(store: Store) -> None:
    with store.write() as ledger:
        fixtures.write(ledger, demo_ledger())
        customer = ledger.customer_ids()[0]
        conversations = Conversations(ledger.conn)
        conversations.create(ConversationRow("conv_1", customer, "app", "en", "active", {}, "embedded", AT, AT))
        conversations.add_messages(
            "conv_1",
            [("customer", "my card is 4111 1111 1111 1111", AT, {}), ("assistant", "Thanks.", AT, {"intent": "x"})],
        )
        conversations.add_message("conv_1", "agent", "Hello, I am Ana.", AT)
    with store.read() as ledger:
        history = Conversations(ledger.conn).history("conv_1")
        messages = Conversations(ledger.conn).messages("conv_1")
    assert history == [(m.role, m.text) for m in messages]
    assert [role for role, _ in history] == ["customer", "assistant", "agent"]
    assert "4111" not in history[0][1]  # redacted when stored
