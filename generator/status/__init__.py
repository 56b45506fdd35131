"""Status stage: statuses and rules in force as a fold over the decision log, at any date."""
