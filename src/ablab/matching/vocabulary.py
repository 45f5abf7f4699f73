"""Word tables of the offline matcher: the one place for synonyms, abbreviations and filler words.

Everything here is data. ``ablab.matching.text`` applies it; no other module keeps a copy. Entries
are lower case. Multi-word keys are matched on whole tokens after punctuation is turned into spaces
(so ``stop-gradient`` and ``stop gradient`` are the same key).
"""

from __future__ import annotations

from ablab.analysis.terms import STOPWORDS as ANALYSIS_STOPWORDS


def _words(text: str) -> frozenset[str]:
    """A set of whitespace-separated words (keeps the tables below compact)."""
    return frozenset(text.split())


GREEK_VARIANTS: dict[str, str] = {"ϵ": "epsilon", "ϕ": "phi", "ϑ": "theta"}
"""Variant glyphs not in ``ablab.analysis.symbols.GREEK`` (which the matcher also uses)."""

ABBREVIATIONS: dict[str, str] = {
    "mlp": "multilayer perceptron",
    "cnn": "convolutional network",
    "rnn": "recurrent network",
    "lstm": "long short term memory",
    "gru": "gated recurrent unit",
    "gnn": "graph network",
    "gcn": "graph convolutional network",
    "gat": "graph attention network",
    "vit": "vision transformer",
    "mha": "multi head attention",
    "ffn": "feed forward network",
    "bn": "batch normalization",
    "batchnorm": "batch normalization",
    "ln": "layer normalization",
    "layernorm": "layer normalization",
    "lr": "learning rate",
    "wd": "weight decay",
    "kl": "kullback leibler divergence",
    "kld": "kullback leibler divergence",
    "mse": "mean squared error",
    "mae": "mean absolute error",
    "ce": "cross entropy",
    "bce": "binary cross entropy",
    "sgd": "stochastic gradient descent",
    "pca": "principal component analysis",
    "svd": "singular value decomposition",
    "gan": "generative adversarial network",
    "vae": "variational autoencoder",
    "ema": "exponential moving average",
    "knn": "k nearest neighbors",
    "nn": "neural network",
    "rl": "reinforcement learning",
    "sft": "supervised fine tuning",
    "lora": "low rank adaptation",
    "pe": "positional encoding",
    "rope": "rotary positional encoding",
    "gp": "gaussian process",
    "ntk": "neural tangent kernel",
    "llm": "large language model",
    "lm": "language model",
    "nerf": "neural radiance field",
    "sdf": "signed distance function",
    "iou": "intersection over union",
    "stn": "spatial transformer network",
    "pgd": "projected gradient descent",
    "fgsm": "fast gradient sign method",
    "relu": "rectified linear unit",
}
"""Common machine-learning abbreviations; a paper's own definitions ("Foo Bar (FB)") are added at
run time by ``text.find_acronyms``."""

PHRASE_SYNONYMS: dict[str, str] = {
    "stop gradient": "stopgradient",
    "stop grad": "stopgradient",
    "multi layer perceptron": "multilayer perceptron",
    "fully connected layer": "linear layer",
    "fully connected": "linear",
    "fc layer": "linear layer",
    "dense layer": "linear layer",
    "batch norm": "batch normalization",
    "layer norm": "layer normalization",
    "group norm": "group normalization",
    "instance norm": "instance normalization",
    "l2 loss": "mean squared error",
    "squared error": "mean squared error",
    "l1 loss": "mean absolute error",
    "absolute error": "mean absolute error",
    "kl divergence": "kullback leibler divergence",
    "cross entropy loss": "cross entropy",
    "self attention": "selfattention",
    "multi head": "multihead",
    "pre training": "pretraining",
    "pre trained": "pretrained",
    "fine tuning": "finetuning",
    "fine tuned": "finetuned",
    "fine tune": "finetuning",
    "data augmentation": "augmentation",
    "positional embedding": "positional encoding",
    "position embedding": "positional encoding",
    "position encoding": "positional encoding",
    "number of layers": "depth",
    "network depth": "depth",
    "hidden size": "width",
    "hidden dimension": "width",
    "embedding dimension": "width",
    "nearest neighbour": "nearest neighbor",
    "nearest neighbours": "nearest neighbors",
}
"""Multi-word variants folded into one canonical spelling before stemming."""

WORD_SYNONYMS: dict[str, str] = {
    "normalisation": "normalization",
    "regularisation": "regularization",
    "regulariser": "regularizer",
    "optimisation": "optimization",
    "optimiser": "optimizer",
    "initialisation": "initialization",
    "parameterisation": "parameterization",
    "generalisation": "generalization",
    "modelling": "modeling",
    "behaviour": "behavior",
    "neighbour": "neighbor",
    "neighbours": "neighbors",
    "centre": "center",
    "colour": "color",
    "hyper": "hyperparameter",
    "ablate": "remove",
    "ablating": "remove",
    "removing": "remove",
    "removal": "remove",
    "eliminate": "remove",
    "drop": "remove",
    "dropping": "remove",
    "exclude": "remove",
    "excluding": "remove",
    "disable": "remove",
    "disabling": "remove",
    "objective": "loss",
    "criterion": "loss",
    "embeddings": "embedding",
    "architectural": "architecture",
    "symmetrized": "symmetric",
    "symmetrised": "symmetric",
    "symmetry": "symmetric",
    "asymmetrical": "asymmetric",
    "asymmetry": "asymmetric",
    "sampler": "sampling",
    "temp": "temperature",
    "eps": "epsilon",
    "stopgrad": "stopgradient",
}
"""Single-word variants (British spellings, verb forms of removal, near synonyms)."""

STOPWORDS: frozenset[str] = ANALYSIS_STOPWORDS | _words("etc e g ie eg vs versus whether")
"""The analyzer's function words plus a few of plans' abbreviations (``not``/``only``/``without``
are read by ``REMOVAL_MARKERS`` before they are dropped)."""

GENERIC_WORDS: frozenset[str] = _words(
    """
    ablation ablations ablated study studies experiment experiments effect effects impact
    impacts influence role importance contribution analysis analyse analyze variant variants
    version component components module modules part parts mechanism mechanisms method methods
    approach approaches technique techniques strategy strategies design designs choice choices
    scheme schemes process processing procedure operation operations step steps type types
    kind alternative alternatives different various other setting settings configuration
    configurations option options value values proposed model models framework network
    networks layer layers function functions block blocks term terms parameter parameters
    modification modifications modify modified change changes changing variation variations
    vary varying replace replacing replacement comparison compare comparing adjust adjustment
    """
)
"""Words that say little about *which* part is ablated; they count, but with ``GENERIC_WEIGHT``."""

GENERIC_WEIGHT = 0.25
"""Weight of a generic word relative to a content word in the overlap measures."""

REMOVAL_MARKERS: frozenset[str] = frozenset(
    {"no", "none", "without", "remove", "removed", "disabled", "off", "zero", "identity", "skip"}
)
"""Words that make a replacement option mean "take the part out" (``no projection MLP``)."""

ONLY_MARKERS: frozenset[str] = frozenset({"only", "alone", "solely", "single"})
"""Words that make an option keep one piece of a compound part, i.e. remove the others
(``edge generation only``)."""

HEAD_BREAKS: frozenset[str] = _words(
    """
    of for in on with within between used to that which during from via at by into across over
    under after before when where while inside as
    """
)
"""Words that end the head of an ablated-part phrase: in ``step size for the perturbation`` the
head is ``step size``; words after the break count with ``MatcherSettings.tail_weight``."""

REQUEST_CUES: frozenset[str] = _words(
    """
    ablation ablations ablate ablating ablated without remove removing removed removal compare
    comparison comparing contribution contributions effect effects impact necessary necessity
    justify justified justification missing lack lacks lacking unclear whether should would
    could suggest recommend request encourage alternative alternatives instead replace
    replacing sensitivity vary varying study analysis isolate
    """
)
"""Words that mark a review sentence as a request for an experiment (raw words, not stems)."""
