"""Credit reports (信用报告, 专项信用报告): numbered, stored, verifiable PDF reports (issue 17)."""
