"""The per-customer reads every turn makes (by customer, with joins) agree with the whole ledger read by order ids."""

from __future__ import annotations

from datetime import date

from paydesk.store import fixtures
from paydesk.store.database import Store
from paydesk.store.demo import demo_ledger


def test_a_customers_orders_and_merchants_match_the_whole_ledger(store: Store) -> None:
    with store.write() as ledger:
        fixtures.write(ledger, demo_ledger(seed=3, today=date(2026, 12, 1), customers=40))
    with store.read() as ledger:
        everything = ledger.all_orders()
        names = {m.id: m for m in ledger.merchants()}
        customers = ledger.customer_ids()
        assert len(customers) == 40 and len(everything) > 40
        for customer in customers:
            theirs = sorted((o for o in everything if o.customer == customer), key=lambda o: (o.created, o.id))
            assert ledger.orders_of(customer) == theirs
            assert ledger.merchants_of(customer) == [names[m] for m in sorted({o.merchant for o in theirs})]
        assert ledger.orders_of("cus_nobody") == [] and ledger.merchants_of("cus_nobody") == []
