"""Credit commitments (信用承诺): templates in policy, signing (online or at a window) into a
信用承诺 record and a `commitment` case, fulfilment or breach (a 违背信用承诺 record)."""
