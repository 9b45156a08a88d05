"""One module per customer-affecting operation. The only code that writes the ledger."""
