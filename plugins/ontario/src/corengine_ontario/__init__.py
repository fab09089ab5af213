"""Ontario's Certificate of Recognition (IHSA COR 2020) for corengine."""
