"""Alberta's Partnerships in Injury Reduction (PIR) COR and SECOR for corengine."""
