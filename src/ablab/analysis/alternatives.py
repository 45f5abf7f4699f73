"""Design choices papers make and the standard alternatives worth trying instead.

This is the one place where ablab's knowledge of "X is usually compared with Y" lives; the
analyzer detects the choices with ``pattern`` and the heuristic planner proposes ``alternatives``.
Entries are ordered from specific to general: when two patterns could match the same words the
earlier entry wins (``vision transformer`` before ``transformer``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ablab.analysis.terms import word_set
from ablab.schema import DesignCategory


@dataclass(frozen=True, slots=True)
class DesignEntry:
    """One kind of design choice."""

    name: str | None
    """Canonical name; None to use the paper's own words (``ResNet-50``)."""
    category: DesignCategory
    """Family of the choice."""
    pattern: str
    """Regex source finding the choice, matched case-insensitively; wrap acronyms in ``(?-i:...)``
    so that a lower-case ``kl`` or ``bn`` in prose is not taken for one (no capturing groups)."""
    alternatives: tuple[str, ...]
    """Standard alternatives, most informative first; when every one reads "no ...", the
    ablation removes the choice instead of replacing it."""
    weight: int
    """How much ablating this choice usually tells about a method (1 low .. 9 high)."""
    triggers: tuple[str, ...]
    """Lower-case words one of which every match contains (selects the patterns to run)."""
    whole_model: bool = False
    """The entry names a whole network family (Transformer, GCN, U-Net): a paper titled after it
    *is* that family, so swapping the family out is not an ablation of the paper."""
    specialises: str | None = None
    """Name of a more general entry this one refines (adaLN refines LayerNorm): when a paper
    makes both, the general one is only a part of the specific one, not a choice of its own."""


_LOSS_DISTANCES = ("L2 (mean squared error) distance", "cosine distance")

DESIGN_ENTRIES: tuple[DesignEntry, ...] = (
    # --- divergences between distributions
    DesignEntry(
        "KL divergence",
        "divergence",
        r"\bKL[- ]?div(?:ergence)?s?\b|\bKullback[- –]Leibler(?: divergence)?\b|\bD_\{?KL\b"
        r"|(?-i:\bKL\b)",
        ("Jensen-Shannon divergence", *_LOSS_DISTANCES, "Wasserstein distance"),
        8,
        triggers=("kl", "kullback"),
    ),
    DesignEntry(
        "Jensen-Shannon divergence",
        "divergence",
        r"\bJensen[- –]Shannon(?: divergence)?\b|\bJS[- ]divergence\b|(?-i:\bJSD\b)",
        ("KL divergence", *_LOSS_DISTANCES),
        8,
        triggers=("jensen", "js", "jsd"),
    ),
    DesignEntry(
        "Wasserstein distance",
        "divergence",
        r"\bWasserstein(?: distance)?\b|\bearth mover'?s distance\b",
        ("KL divergence", "maximum mean discrepancy (MMD)", "Sinkhorn divergence"),
        7,
        triggers=("wasserstein", "mover"),
    ),
    DesignEntry(
        "maximum mean discrepancy",
        "divergence",
        r"\bmaximum mean discrepancy\b|(?-i:\bMMD\b)",
        ("KL divergence", "Wasserstein distance", "moment matching (CORAL)"),
        7,
        triggers=("maximum", "mmd"),
    ),
    # --- regression and similarity losses
    DesignEntry(
        "smooth L1 (Huber) loss",
        "distance",
        r"\bsmooth[- ](?:L1|ℓ1|\\ell_1)(?: loss)?\b|\bHuber loss\b",
        ("L1 loss", "L2 (mean squared error) loss"),
        6,
        triggers=("smooth", "huber"),
    ),
    DesignEntry(
        "L1 loss",
        "distance",
        r"\b(?:L1|ℓ1|\\ell_1)[- ](?:loss|distance|reconstruction loss)\b|\bmean absolute error\b",
        ("L2 (mean squared error) loss", "smooth L1 (Huber) loss"),
        6,
        triggers=("l1", "ℓ1", "ell", "absolute"),
    ),
    DesignEntry(
        "mean squared error",
        "distance",
        r"\bmean[- ]squared[- ]error\b|(?-i:\bMSE\b)|\b(?:L2|ℓ2|\\ell_2)[- ](?:loss|distance)\b"
        r"|\bsquared (?:L2|ℓ2|Euclidean) (?:distance|norm) (?:loss|objective)\b"
        r"|\bminimi[sz]\w* the squared (?:L2|ℓ2|Euclidean) (?:distance|norm)\b",
        ("L1 loss", "smooth L1 (Huber) loss", "cosine distance"),
        6,
        triggers=("mse", "squared", "l2", "ℓ2", "ell"),
    ),
    DesignEntry(
        "cosine similarity",
        "distance",
        r"\bcosine[- ](?:similarity|distance|loss)\b",
        ("L2 (Euclidean) distance", "dot-product similarity"),
        5,
        triggers=("cosine",),
    ),
    DesignEntry(
        "Euclidean distance",
        "distance",
        r"\bEuclidean distance\b",
        ("cosine distance", "L1 (Manhattan) distance"),
        5,
        triggers=("euclidean",),
    ),
    # --- representation-learning objectives
    DesignEntry(
        "InfoNCE contrastive loss",
        "distance",
        r"\bInfoNCE\b|\bNT-Xent\b|\bcontrastive loss\b",
        ("triplet loss with a margin", "BYOL-style regression loss without negatives"),
        7,
        triggers=("infonce", "xent", "contrastive"),
    ),
    DesignEntry(
        "triplet loss",
        "distance",
        r"\btriplet (?:loss|margin loss)\b",
        ("InfoNCE contrastive loss", "pairwise contrastive loss"),
        6,
        triggers=("triplet",),
    ),
    DesignEntry(
        "hinge loss",
        "distance",
        r"\bhinge (?:loss|penalty)\b",
        ("softplus (logistic) penalty", "squared hinge penalty"),
        5,
        triggers=("hinge",),
    ),
    DesignEntry(
        "focal loss",
        "distance",
        r"\bfocal loss\b",
        ("cross-entropy loss", "class-balanced cross-entropy"),
        5,
        triggers=("focal",),
    ),
    DesignEntry(
        "cross-entropy loss",
        "distance",
        # not the cross-entropy *method* (CEM), an optimiser
        r"\b(?:binary |categorical )?cross[- ]?entropy(?: loss)?\b(?! method| \(CEM\)| measure)",
        ("focal loss", "label-smoothed cross-entropy"),
        2,
        triggers=("cross", "crossentropy"),
    ),
    # --- normalisation
    DesignEntry(
        "BatchNorm",
        "normalization",
        r"\bbatch[- ]?norm(?:ali[sz]ation)?\b|(?-i:\bBN\b)",
        ("LayerNorm", "GroupNorm", "no normalization"),
        5,
        triggers=("batch", "batchnorm", "bn"),
    ),
    DesignEntry(
        "adaLN conditioning (adaptive layer norm)",
        "normalization",
        r"\badaptive (?:layer|instance|group)[- ]?norm(?:ali[sz]ation)?\b|(?-i:\badaLN\b|\bAdaIN\b)"
        r"|\bFiLM (?:layers?|conditioning)\b",
        ("cross-attention conditioning", "in-context conditioning", "additive conditioning"),
        6,
        triggers=("adaptive", "adaln", "adain", "film"),
        specialises="LayerNorm",
    ),
    DesignEntry(
        "LayerNorm",
        "normalization",
        r"\blayer[- ]?norm(?:ali[sz]ation)?\b",
        ("BatchNorm", "RMSNorm", "no normalization"),
        4,
        triggers=("layer", "layernorm"),
    ),
    DesignEntry(
        "GroupNorm",
        "normalization",
        r"\bgroup[- ]?norm(?:ali[sz]ation)?\b",
        ("BatchNorm", "LayerNorm"),
        4,
        triggers=("group", "groupnorm"),
    ),
    DesignEntry(
        "ℓ2 normalization",
        "normalization",
        r"\b(?:ℓ2|L2|\\ell_2)[- ]normali[sz](?:ed|ation|ing)\b",
        ("unnormalized features", "BatchNorm on the features"),
        5,
        triggers=("ℓ2", "l2", "ell"),
    ),
    DesignEntry(
        "softmax",
        "normalization",
        r"\bsoftmax\b",
        ("sparsemax", "sigmoid", "entmax"),
        3,  # mostly the standard output of a classifier; a choice only inside gates or attention
        triggers=("softmax",),
    ),
    # --- architectures
    DesignEntry(
        None,
        "architecture",
        r"(?-i:\bViT-[A-Z][a-z]?(?:/\d+)?)|\bvision transformers?\b",
        ("ResNet-50", "Swin Transformer", "ConvNeXt"),
        4,
        triggers=("vit", "vision"),
        whole_model=True,
    ),
    DesignEntry(
        None,
        "architecture",
        r"(?-i:\bResNet-?\d+\b)",
        ("ViT-S/16", "ResNet-18", "ResNet-101"),
        4,
        triggers=("resnet",),
        whole_model=True,
    ),
    DesignEntry(
        "graph convolutional network (GCN)",
        "architecture",
        r"(?-i:\bGCNs?\b)|\bgraph convolutional networks?\b|\bgraph convolutions?\b",
        ("GAT", "GraphSAGE", "GIN"),
        6,
        triggers=("gcn", "gcns", "graph"),
        whole_model=True,
    ),
    DesignEntry(
        "graph attention network (GAT)",
        "architecture",
        r"(?-i:\bGATs?\b)|\bgraph attention networks?\b",
        ("GCN", "GraphSAGE", "GIN"),
        6,
        triggers=("gat", "gats", "graph"),
        whole_model=True,
    ),
    DesignEntry(
        "LSTM",
        "architecture",
        r"(?-i:\b(?:Bi-?)?LSTMs?\b)|\blong short-term memory\b",
        ("GRU", "Transformer encoder", "1D CNN"),
        5,
        triggers=("lstm", "lstms", "bilstm", "bi", "long"),
        whole_model=True,
    ),
    DesignEntry(
        "GRU",
        "architecture",
        r"(?-i:\bGRUs?\b)|\bgated recurrent units?\b",
        ("LSTM", "Transformer encoder"),
        5,
        triggers=("gru", "grus", "gated"),
        whole_model=True,
    ),
    DesignEntry(
        "Transformer",
        "architecture",
        r"\btransformers?\b(?! block)|\bself-attention layers?\b",
        ("LSTM", "MLP", "CNN"),
        5,
        triggers=("transformer", "transformers", "self"),
        whole_model=True,
    ),
    DesignEntry(
        "U-Net",
        "architecture",
        r"\bU-?Net\b",
        ("FPN decoder", "encoder-decoder without skip connections"),
        4,
        triggers=("unet", "u"),
        whole_model=True,
    ),
    DesignEntry(
        "MLP",
        "architecture",
        r"(?-i:\bMLPs?\b)|\bmulti-?layer perceptrons?\b",
        ("a single linear layer", "a deeper MLP"),
        4,
        triggers=("mlp", "mlps", "multi", "multilayer"),
    ),
    DesignEntry(
        "CNN",
        "architecture",
        r"(?-i:(?<!R-)\bCNNs?\b)|\bconvolutional neural networks?\b",
        ("MLP", "Transformer"),
        3,
        triggers=("cnn", "cnns", "convolutional"),
        whole_model=True,
    ),
    DesignEntry(
        "LoRA",
        "architecture",
        r"(?-i:\bLoRA\b)|\blow-rank adaptation\b",
        ("full fine-tuning", "adapter layers", "prefix tuning"),
        5,
        triggers=("lora", "low"),
        # a fine-tuning method family: swapping it compares the paper with its baselines
        whole_model=True,
    ),
    DesignEntry(
        "shared weights",
        "architecture",
        r"\b(?:shared|tied) (?:weights|parameters)\b|\bweight[- ]sharing\b",
        ("separate (unshared) weights",),
        5,
        triggers=("shared", "tied", "weight"),
    ),
    DesignEntry(
        "residual connections",
        "architecture",
        r"\b(?:residual|skip|shortcut) connections?\b|\bidentity shortcuts?\b",
        (
            "no residual connections",
            "projection (1x1 convolution) shortcuts",
            "gated (highway) connections",
        ),
        4,
        triggers=("residual", "skip", "shortcut", "identity"),
    ),
    # --- activations and gates
    DesignEntry(
        "GELU", "activation", r"(?-i:\bGELUs?\b)", ("ReLU", "SiLU"), 2, triggers=("gelu", "gelus")
    ),
    DesignEntry(
        "ReLU",
        "activation",
        r"\bReLUs?\b",
        ("GELU", "SiLU", "LeakyReLU"),
        2,
        triggers=("relu", "relus"),
    ),
    DesignEntry(
        "SiLU", "activation", r"\bSiLU\b|\bSwish\b", ("ReLU", "GELU"), 2, triggers=("silu", "swish")
    ),
    DesignEntry("tanh", "activation", r"\btanh\b", ("ReLU", "sigmoid"), 2, triggers=("tanh",)),
    DesignEntry(
        "sigmoid",
        "activation",
        r"\bsigmoid\b",
        ("softmax over tokens", "hard (straight-through) gating"),
        4,
        triggers=("sigmoid",),
    ),
    # --- pooling
    DesignEntry(
        "mean pooling",
        "pooling",
        r"\b(?:mean|average|avg)[- ]pool(?:ing|ed)?\b|\bglobal average pooling\b",
        ("max pooling", "attention pooling", "[CLS] token"),
        4,  # global average pooling ends most CNNs: rarely what a paper's claims rest on
        triggers=("mean", "average", "avg", "global"),
    ),
    DesignEntry(
        "max pooling",
        "pooling",
        r"\bmax[- ]pool(?:ing|ed)?\b",
        ("mean pooling", "attention pooling"),
        4,
        triggers=("max",),
    ),
    DesignEntry(
        "attention pooling",
        "pooling",
        r"\battention(?:-based)? pooling\b",
        ("mean pooling", "max pooling"),
        5,
        triggers=("attention",),
    ),
    DesignEntry(
        "[CLS] token",
        "pooling",
        r"\[CLS\] token|\bCLS token\b|\bclass token\b",
        ("mean pooling", "attention pooling"),
        4,
        triggers=("cls", "class"),
    ),
    # --- attention and fusion
    DesignEntry(
        "multi-head attention",
        "attention",
        r"\bmulti-?head(?:ed)? (?:self-)?attention\b",
        ("single-head attention", "linear attention"),
        5,
        triggers=("multi", "multihead"),
    ),
    DesignEntry(
        "cross-attention",
        "attention",
        r"\bcross-?attention\b",
        ("concatenation followed by an MLP", "FiLM conditioning", "element-wise addition"),
        6,
        triggers=("cross", "crossattention"),
    ),
    DesignEntry(
        "concatenation",
        "other",
        r"\bconcatenat(?:e|es|ed|ion|ing)\b",
        ("element-wise addition", "cross-attention", "gated fusion"),
        4,
        triggers=("concatenate", "concatenates", "concatenated", "concatenation", "concatenating"),
    ),
    # --- optimiser and learning-rate schedule
    DesignEntry(
        "Adam",
        "optimizer",
        r"(?-i:\bAdamW?\b)",
        ("SGD with momentum", "LAMB"),
        2,
        triggers=("adam", "adamw"),
    ),
    DesignEntry(
        "LARS/LAMB large-batch optimizer",
        "optimizer",
        r"(?-i:\bLARS\b|\bLAMB\b)",
        ("SGD with momentum", "AdamW"),
        3,
        triggers=("lars", "lamb"),
    ),
    DesignEntry(
        "SGD",
        "optimizer",
        r"(?-i:\bSGD\b)|\bstochastic gradient descent\b",
        ("AdamW",),
        2,
        triggers=("sgd", "stochastic"),
    ),
    DesignEntry(
        "cosine learning-rate schedule",
        "optimizer",
        r"\bcosine (?:learning[- ]rate )?(?:schedule|decay|annealing)\b",
        ("step decay", "constant learning rate"),
        2,
        triggers=("cosine",),
    ),
    DesignEntry(
        "learning-rate warm-up",
        "optimizer",
        r"\b(?:linear )?warm-?up\b",
        ("no warm-up",),
        1,
        triggers=("warm", "warmup"),
    ),
    # --- training schedule
    DesignEntry(
        "alternating optimization",
        "schedule",
        # an optimisation schedule, not any alternation ("blocks alternate between two window
        # partitions", "alternate between sampling data and optimizing")
        r"\balternating (?:optimi[sz]ation|minimi[sz]ation|training|updates?)\b"
        r"|\balternately (?:optimi[sz]|train|updat|minimi[sz])\w*"
        r"|\b(?:training|optimi[sz]ation|updates?) alternates?\b"
        r"|\balternat(?:e|es|ed|ing) between (?:optimi[sz]ing|training|updating|minimi[sz]ing)\b",
        ("joint (simultaneous) optimization of all losses",),
        8,
        triggers=("alternate", "alternates", "alternated", "alternating", "alternately"),
    ),
    DesignEntry(
        "two-stage training",
        "schedule",
        # not "a two-stage inference pipeline" or "a two-step derivation": training only
        r"\btwo[- ](?:stage|step|phase)(?! (?:inference|decoding|pipeline|process|derivation|"
        r"proof|procedure|approach|search|sampling|generation))\b"
        r"|\bmulti-?stage training\b|\bstage-?wise training\b",
        ("end-to-end single-stage training", "joint optimization of both objectives"),
        8,
        triggers=("two", "multi", "multistage", "stagewise", "stage"),
    ),
    DesignEntry(
        "sequential optimization",
        "schedule",
        r"\bsequential(?:ly)? (?:optimi[sz]ation|optimi[sz]ed|training|trained|updates?)\b",
        ("joint (simultaneous) optimization",),
        7,
        triggers=("sequential", "sequentially"),
    ),
    DesignEntry(
        "curriculum",
        "schedule",
        r"\bcurriculum\b",
        ("no curriculum (fixed difficulty)", "reversed curriculum"),
        6,
        triggers=("curriculum",),
    ),
    DesignEntry(
        "symmetric loss",
        "other",
        r"\bsymmetri[sz](?:ed|es?|ing)\b|\bsymmetric (?:loss|objective)\b",
        ("asymmetric loss (one direction only)",),
        5,
        triggers=(
            "symmetrized",
            "symmetrised",
            "symmetrize",
            "symmetrise",
            "symmetrizes",
            "symmetrises",
            "symmetrizing",
            "symmetrising",
            "symmetric",
        ),
    ),
    DesignEntry(
        "stop-gradient",
        "other",
        r"\bstop[- ]grad(?:ient)?s?\b",
        ("no stop-gradient",),
        6,
        triggers=("stop", "stopgrad"),
    ),
    DesignEntry(
        "EMA of the weights",
        "optimizer",
        r"\b(?:exponential )?moving average of (?:the |all )?(?:model |network )?"
        r"(?:weights|parameters)\b|(?-i:\bEMA\b) (?:of the |model )?weights\b",
        ("the final weights without averaging",),
        1,
        triggers=("moving", "ema"),
    ),
    DesignEntry(
        "EMA teacher",
        "other",
        # an EMA *teacher* or target network; an EMA of the weights kept for evaluation is none
        r"\bmomentum (?:encoder|teacher|network)\b"
        r"|(?:\bexponential moving average|(?-i:\bEMA))(?: of (?:the )?(?:student|online)\w*)?"
        r"(?: \w+)? (?:teacher|target|encoder)s?\b"
        r"|\b(?:teacher|target (?:network|encoder))(?: is| as)? (?:an? |the )?"
        r"(?:exponential moving average|(?-i:EMA))\b"
        r"|(?:\bexponential moving average|(?-i:\bEMA\b))[^.;]{0,60}?\bas (?:the |a |our )?"
        r"(?:teacher|target)\b",
        ("teacher sharing the student's weights", "frozen teacher"),
        5,
        triggers=("exponential", "ema", "momentum"),
    ),
    # --- initialisation and pretraining
    DesignEntry(
        "ImageNet pretraining",
        "pretraining",
        r"\bImageNet[- ]pre-?trained\b|\bpre-?trained on ImageNet\b",
        ("random initialization", "self-supervised initialization"),
        5,
        triggers=("imagenet",),
    ),
    DesignEntry(
        "random initialization",
        "pretraining",
        r"\brandom(?:ly)? initiali[sz](?:ation|ed)\b|\btrained from scratch\b",
        ("supervised ImageNet initialization", "self-supervised initialization"),
        3,
        triggers=("random", "randomly", "scratch"),
    ),
    DesignEntry(
        "pretrained weights",
        "pretraining",
        r"\bpre-?trained (?:weights|checkpoints?|encoders?|backbones?)\b",
        ("random initialization", "a different pretrained checkpoint"),
        4,
        triggers=("pretrained", "pre"),
    ),
    # --- augmentation
    DesignEntry(
        "multi-crop augmentation",
        "augmentation",
        r"\bmulti-?crop\b",
        ("two global crops only", "two global and two local crops"),
        5,
        triggers=("multi", "multicrop"),
    ),
    DesignEntry(
        "Mixup/CutMix",
        "augmentation",
        r"\bmixup\b|\bcutmix\b",
        ("no mixing augmentation",),
        4,
        triggers=("mixup", "cutmix"),
    ),
    DesignEntry(
        "photometric augmentations",
        "augmentation",
        r"\bcolou?r[- ]jitter(?:ing)?\b|\bgaussian blur\b|\bsolari[sz]ation\b|\bRandAugment\b",
        ("crop and flip only", "no photometric augmentation"),
        3,
        triggers=("color", "colour", "gaussian", "solarization", "solarisation", "randaugment"),
    ),
    DesignEntry(
        "strong augmentation",
        "augmentation",
        r"\b(?:strong|heavy|aggressive) (?:data )?augmentations?\b",
        ("weak augmentation (crop and flip)", "no augmentation"),
        4,
        triggers=("strong", "heavy", "aggressive"),
    ),
    DesignEntry(
        "scale augmentation",
        "augmentation",
        r"\bscale augmentation\b|\bmulti-?scale training\b|\brandom(?:ly)? resiz(?:e|ed|ing)\b",
        ("single-scale training", "a narrower range of scales"),
        3,
        triggers=("scale", "multiscale", "multi", "random", "randomly"),
    ),
    # --- sampling
    DesignEntry(
        "hard negative mining",
        "sampling",
        r"\bhard(?:est)?[- ]negatives?(?: mining| sampling)?\b",
        ("random negatives", "semi-hard negative mining"),
        6,
        triggers=("hard", "hardest"),
    ),
    DesignEntry(
        "top-k selection",
        "sampling",
        r"\btop-?k (?:selection|routing|tokens|experts)\b",
        ("random selection of k", "threshold-based selection"),
        5,
        triggers=("top", "topk"),
    ),
    # --- masks and discrete choices
    DesignEntry(
        "binary mask",
        "other",
        r"\bbinary masks?\b|\bhard masks?\b",
        ("soft (continuous) mask", "blurred mask", "random mask of the same area"),
        6,
        triggers=("binary", "hard"),
    ),
    DesignEntry(
        "Gumbel-softmax",
        "other",
        r"\bGumbel[- ]softmax\b",
        ("straight-through estimator", "REINFORCE"),
        5,
        triggers=("gumbel",),
    ),
    DesignEntry(
        "k-means clustering",
        "other",
        r"\bk-?means\b",
        ("Sinkhorn-Knopp assignment", "spectral clustering"),
        5,
        triggers=("means", "kmeans"),
    ),
)
"""Known design choices, specific before general."""


STANDARD_ACRONYMS = word_set(
    """
    KL JS JSD MSE MAE RMSE MLP MLPs CNN CNNs RNN LSTM GRU GCN GAT GIN ViT BERT GPT LLM LLMs LM
    BN LN GN EMA SGD ReLU GELU SiLU GAN GANs VAE VAEs NLP CV RL PPO DQN SAC KD OT MMD LoRA PEFT
    IoU mIoU AP mAP FID IS PSNR SSIM LPIPS AUROC AUC BLEU ROUGE NDCG MRR EM CLIP GPU GPUs TPU
    CPU API SOTA NLL ELBO MLE MAP SVD PCA KNN RGB RGBD HDR
    """
)
"""Acronyms of standard techniques and metrics: never a paper's own component."""
