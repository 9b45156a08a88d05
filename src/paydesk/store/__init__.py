"""Persistence: tables, engine factory, migrations, repositories, fixture import/export, demo data."""
