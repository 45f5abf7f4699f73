"""ablab: plan and judge ablation studies of machine-learning papers."""

__version__ = "0.1.0"
