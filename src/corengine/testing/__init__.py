"""Public: the scenario format (:mod:`corengine.testing.scenarios`) and the pytest plugin that runs scenario files
(:mod:`corengine.testing.pytest_plugin`, registered as the ``corengine`` pytest plugin)."""
