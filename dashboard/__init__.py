"""Negotiating Table: compare how news outlets told one story, claim by claim."""
