"""The English source of every reply (msgid -> text). `python -m paydesk.replies.catalogs update` writes it to
locale/en and merges new or changed ids into the other 35 catalogs for translation. Placeholders are {name}s."""

from __future__ import annotations

# Plural messages: msgid -> (singular, plural); the count is the {count} placeholder.
PLURALS: dict[str, tuple[str, str]] = {
    "schedule.left": ("{count} payment left", "{count} payments left"),
    "invoice.lines": ("{count} line", "{count} lines"),
}

MESSAGES: dict[str, str] = {
    # conversation
    "greeting": "Hi {name}! I'm the paydesk assistant. I can help with refunds, returns, payments, orders and "
    "invoices. What can I do for you?",
    "greeting.again": "Hi again! What can I do for you?",
    "goodbye": "Thank you for chatting with us. Have a nice day!",
    "anything_else": "Is there anything else I can help you with?",
    "scope": "I can help with your orders, payments, refunds, returns, disputes and invoices, but not with that.",
    "not_understood": "Sorry, I didn't quite understand. Could you put it another way? For example: \"I want to "
    'return my shoes" or "When is my next payment?"',
    "offer_human": "I'm sorry I haven't been able to help. Would you like to talk to a person?",
    "frustrated_offer": "I'm sorry this has been frustrating. Would you like to talk to a person?",
    "keep_going": "All right. What can I help you with?",
    "restart": "Let's start over. What can I help you with?",
    "nothing_changed": "OK, I haven't changed anything.",
    "confirm.again": "Please answer yes or no. {summary}",
    "confirm.dropped": "I'll leave everything as it is, then.",
    "next_request": "You also mentioned {what}. Shall we look at that now?",
    "intent.refund_status": "a refund",
    "intent.request_refund": "a refund",
    "intent.return_item": "a return",
    "intent.cancel_order": "cancelling an order",
    "intent.payment_problem": "a payment problem",
    "intent.unrecognized_charge": "a charge you don't recognise",
    "intent.dispute": "a dispute",
    "intent.invoice_error": "your invoice",
    "intent.payment_schedule": "your payment schedule",
    "intent.extend_due_date": "moving a due date",
    "intent.pay_now": "paying now",
    "intent.change_payment_method": "changing the payment method",
    # handoff
    "handoff.customer_request": "I'm connecting you with a colleague. They'll see this conversation, so you don't "
    "have to repeat anything, and they'll reply here.",
    "handoff.not_understood": "I'm connecting you with a colleague who can help. They'll see this conversation and "
    "reply here.",
    "handoff.fraud": "For your safety I'm passing this to our fraud team. They'll see this conversation and reply "
    "here. Never share card numbers or codes with anyone.",
    "handoff.hardship": "I'm sorry to hear that. A colleague who can look at your options with you will take over "
    "this chat; they'll see everything we discussed.",
    "handoff.complaint": "I'm sorry about this. I'm passing your complaint to a colleague, who will reply here.",
    "handoff.other": "I'm connecting you with a colleague, who will reply here.",
    "handoff.waiting": "A colleague has your case and will reply here as soon as they can.",
    # orders
    "order.ask": "Which order is it about?",
    "order.none": "I couldn't find an order in your account that this applies to.",
    "order.unknown": "I can't find that order in your account.",
    "order.option": "{merchant}, {date}, {amount}",
    "items.ask": "Which items would you like to return?",
    "items.all": "All items",
    # reasons
    "reason.ask.return": "What's the reason for the return?",
    "reason.ask.refund": "What happened? For example: you'd like to return it, it never arrived, it's faulty, or "
    "you were charged twice.",
    "reason.ask.dispute": "What's the problem with the order?",
    "reason.wrong_size": "it doesn't fit",
    "reason.changed_mind": "I changed my mind",
    "reason.faulty": "it's faulty",
    "reason.wrong_item": "wrong item",
    "reason.not_as_described": "not as described",
    "reason.not_received": "it never arrived",
    "reason.refund_not_received": "refund not received",
    "reason.cancelled_but_charged": "cancelled but still charged",
    "reason.charged_twice": "I was charged twice",
    "reason.cancel": "I'd like to cancel it",
    # returns
    "return.summary": "I'll register a return of {items} from {merchant} (order {order}). Your payment plan will be "
    "paused until {until}, so nothing is collected while you send it back. Shall I go ahead?",
    "return.summary_paid": "I'll register a return of {items} from {merchant} (order {order}). Shall I go ahead?",
    "return.done": "Done: the return is registered. Please send the items back to {merchant} as they describe and "
    "keep the proof of postage. Your payments are paused until {until}.",
    "return.done_paid": "Done: the return is registered. Please send the items back to {merchant} as they describe "
    "and keep the proof of postage; the refund follows once they have it.",
    "return.window_closed": "The return window for order {order} from {merchant} ended on {last_day}, so I can't "
    "register a return. Please contact {merchant}{contact}.",
    "return.contact": " at {email}",
    "return.not_delivered": "Order {order} from {merchant} hasn't been delivered yet, so it can't be returned yet.",
    "return.already": "A return for these items of order {order} is already registered.",
    # cancellations
    "cancel.summary": "I'll cancel order {order} from {merchant} ({total}). {paid_part} The remaining payments will "
    "be cancelled. Shall I go ahead?",
    "cancel.paid": "You've paid {paid}, which will be refunded.",
    "cancel.nothing_paid": "You haven't paid anything yet.",
    "cancel.done": "Done: order {order} is cancelled.",
    "cancel.refund_expected": "The refund of {amount} is on its way and expected by {expected}.",
    "cancel.refund_approval": "The refund of {amount} needs a colleague's approval because of its size; I've passed "
    "it on and you'll hear from us.",
    "cancel.shipped": "Order {order} from {merchant} has already been shipped, so it can't be cancelled. Once it "
    "arrives, you can return it.",
    "cancel.delivered": "Order {order} from {merchant} has already been delivered, so it can't be cancelled. Would "
    "you like to return it instead?",
    "cancel.closed": "Order {order} is already {status}.",
    "status.cancelled": "cancelled",
    "status.returned": "returned",
    # refunds
    "refunds.none": "I don't see any refunds on your account right now.",
    "refunds.line": "{amount} from {merchant}: {status}, expected by {expected}.",
    "refunds.line_done": "{amount} from {merchant}: completed.",
    "refund.processing": "being processed",
    "refund.pending_approval": "waiting for approval",
    "refund.failed": "failed",
    "refund.completed": "completed",
    "refunds.dispute_offer": "Your return to {merchant} was registered on {registered} and no refund has come yet. "
    "Shall I open a dispute so that we follow it up with the merchant? Payments on the order will be paused until "
    "it's resolved.",
    # disputes
    "dispute.summary": "I'll open a dispute with {merchant} about order {order} ({reason}). Payments on the order "
    "will be paused until it's resolved, and {merchant} must respond by {deadline}. Shall I go ahead?",
    "dispute.done": "Done: the dispute is open. {merchant} has until {deadline} to respond, and payments on the "
    "order are paused.",
    "dispute.exists": "There's already an open dispute about order {order}; {merchant} has until {deadline} to "
    "respond.",
    "dispute.too_late": "Order {order} is more than {days} days old, so a dispute can no longer be opened. Please "
    "contact {merchant}.",
    "dispute.cancelled": "Order {order} is cancelled, so there's nothing to dispute.",
    # charges
    "charge.found": "That's {amount} on {date} from {merchant} for {items} (order {order}). Do you recognise it now?",
    "charge.ask": "Which charge do you mean? Please tell me its amount or the day it was taken.",
    "charge.none": "I can't find a charge like that in your account. Shall I pass this to our fraud team?",
    "charge.recognised": "Good, then everything is in order.",
    "duplicate.summary": "I see {amount} was charged twice for order {order} from {merchant}, at {first} and "
    "{second}. I can refund the second charge. Shall I go ahead?",
    "duplicate.done": "Done: the second charge of {amount} is being refunded, expected by {expected}.",
    "duplicate.approval": "The refund of {amount} needs a colleague's approval because of its size; I've passed it "
    "on and you'll hear from us.",
    "payment.none": "I don't see a failed or duplicate payment on your account. A payment can show as pending at "
    "your bank for a few days before it disappears or goes through.",
    "payment.insist": "I understand. I'm passing this to a colleague who will look into it.",
    "failed.explain": "Your payment of {amount} for {merchant} on {date} didn't go through: {reason}.",
    "decline.insufficient_funds": "there weren't enough funds",
    "decline.card_expired": "the card has expired",
    "decline.do_not_honor": "your bank declined it",
    "decline.authentication_failed": "the bank's authentication wasn't completed",
    "decline.unknown": "the bank gave no reason",
    "failed.offer": "I can charge it now to another saved method. Which one should I use?",
    "failed.no_other": "You have no other saved payment method; you can add one in the app and then pay.",
    # pay now
    "paynow.ask": "Would you like to pay the next payment or everything that's left?",
    "paynow.next": "Next payment: {amount}",
    "paynow.all": "Everything: {amount}",
    "paynow.summary": "I'll charge {amount} to {method} now for order {order} from {merchant}. Shall I go ahead?",
    "paynow.done": "Done: {amount} is paid with {method}.",
    "paynow.done_all": "Done: {amount} is paid with {method}, and the order is now paid in full.",
    "paynow.nothing": "There's nothing left to pay on order {order}.",
    # schedule
    "schedule.none": "You have no upcoming payments.",
    "schedule.next": "Your next payment is {amount} on {due} for {merchant} (order {order}); {left}, {remaining} in "
    "total.",
    "schedule.paused": "Payments for {merchant} (order {order}) are paused until {until}.",
    "schedule.paused_open": "Payments for {merchant} (order {order}) are paused until the dispute is resolved.",
    # extending a due date
    "extend.ask": "To which date would you like to move it? It can be {latest} at the latest.",
    "extend.summary": "I'll move the payment of {amount} for order {order} from {merchant} from {old} to {new}. "
    "{fee_part} Shall I go ahead?",
    "extend.fee": "There's a fee of {fee}.",
    "extend.no_fee": "There's no fee.",
    "extend.done": "Done: the payment of {amount} is now due on {new}.",
    "extend.already": "That payment for order {order} has already been moved once, so it can't be moved again.",
    "extend.overdue": "That payment for order {order} is overdue, so it can't be postponed. You can pay it now.",
    "extend.too_long": "It can be moved to {latest} at the latest.",
    "extend.not_later": "The new date has to be after {due}.",
    "extend.closed": "There are no open payments on order {order}.",
    # payment methods
    "method.ask": "Which saved payment method should order {order} use?",
    "method.summary": "I'll switch order {order} from {merchant} to {method}; future payments will be taken from "
    "it. Shall I go ahead?",
    "method.done": "Done: order {order} now uses {method}.",
    "method.same": "Order {order} already uses {method}.",
    "method.none": "You don't have another saved payment method. You can add one in the app's settings; I never take "
    "card numbers in the chat.",
    # invoices
    "invoice.none": "I can't find an invoice on your account.",
    "invoice.found": "On your invoice for {period} I found: {problems}. Corrected, the total falls by {amount} to "
    "{total}. Shall I correct it?",
    "invoice.duplicate_line": "a line for {merchant} ({amount}) appears twice",
    "invoice.missing_refund": "the refund of {amount} from {merchant} is missing",
    "invoice.wrong_amount": "the line for {merchant} shows {line} instead of {ledger}",
    "invoice.done": "Done: the invoice for {period} is corrected; the new total is {total}.",
    "invoice.approval": "The correction of {amount} needs a colleague's approval because of its size; I've passed it "
    "on.",
    "invoice.ok": "I checked your invoice for {period}: its {lines} ({total} in total) match your account.",
    # help centre
    "faq.source": "(Help article: {title})",
    "faq.none": "I don't have a help article on that. Would you like to talk to a person?",
    # agents
    "agent.back": "You're back with the paydesk assistant. Is there anything else I can help you with?",
    "agent.joined": "{agent} from our support team has joined the conversation.",
    "agent.resolved": "{agent} has closed this case. Thank you for contacting us!",
    # the chat widget's own words (buttons, prompts)
    "ui.welcome": "Hi! I'm the paydesk assistant. How can I help you today?",
    "ui.placeholder": "Write a message…",
    "ui.send": "Send",
    "ui.yes": "Yes",
    "ui.no": "No",
    "ui.typing": "The assistant is typing…",
    "ui.you": "You",
    "ui.assistant": "Assistant",
    "ui.agent": "Support agent",
    "ui.csat_question": "How would you rate this conversation?",
    "ui.csat_comment": "Anything you'd like to add? (optional)",
    "ui.csat_send": "Send rating",
    "ui.csat_thanks": "Thank you for your feedback!",
    "ui.new_chat": "New conversation",
    "ui.error": "Something went wrong. Please try again.",
}
