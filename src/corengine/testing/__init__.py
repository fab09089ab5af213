"""Public: the scenario format (:mod:`corengine.testing.scenarios`) and the pytest plugin that runs scenario files
(:mod:`corengine.testing.pytest_plugin`, registered as the ``corengine`` pytest plugin), and the check that an
override changes one value only (:mod:`corengine.testing.overrides`), and the check that an example audit scores as
its header says (:mod:`corengine.testing.examples`)."""
