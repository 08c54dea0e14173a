"""Analysis: statements (vintages, verdicts), plan against actual, pace, revisions and audits, coverage."""
