"""Credit repair (信用修复 一件事) as the `repair` case kind: eligibility, application, decision."""
