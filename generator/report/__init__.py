"""Report stage: what a run of the checks found, counted once for every reader of it.

`validation.Validation` gathers each stage's output; `integrity` tallies the rules' outcomes per
code; `completeness` measures what the public record shows and what it does not.
"""
