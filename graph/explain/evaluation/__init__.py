"""The explainer measured against curated mechanisms (DrugMechDB's drug → disease paths)."""
