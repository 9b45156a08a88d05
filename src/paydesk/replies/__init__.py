"""Replies: every customer-facing sentence from gettext catalogs in 36 languages, with CLDR formatting."""
