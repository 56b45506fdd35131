"""Small helpers every stage may use (they import no stage)."""
