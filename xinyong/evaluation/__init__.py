"""公共信用综合评价: models in policy compiled to set-based SQL, runs, results, explanations."""
