"""Evaluation metrics ablab recognises, with their usual direction.

Specific entries come before general ones (``top-1 accuracy`` before ``accuracy``) because the
first matching entry wins.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class MetricEntry:
    """One metric."""

    key: str
    """Canonical name, also the merge key."""
    pattern: str
    """Regex source, case-insensitive; wrap short acronyms in ``(?-i:...)``."""
    higher_is_better: bool | None
    """Usual direction, None when it depends."""
    triggers: tuple[str, ...]
    """Lower-case words one of which every match contains (selects the patterns to run)."""


METRIC_ENTRIES: tuple[MetricEntry, ...] = (
    MetricEntry("top-1 error", r"\btop-?1\s+err(?:or|\.)?(?![\w-])", False, ("top", "top1")),
    MetricEntry("top-5 error", r"\btop-?5\s+err(?:or|\.)?(?![\w-])", False, ("top", "top5")),
    MetricEntry(
        "top-1 accuracy", r"\btop-?1(?:\s+acc(?:uracy)?\.?)?(?![\w-])", True, ("top", "top1")
    ),
    MetricEntry(
        "top-5 accuracy", r"\btop-?5(?:\s+acc(?:uracy)?\.?)?(?![\w-])", True, ("top", "top5")
    ),
    MetricEntry("k-NN accuracy", r"\bk-?NN\s+acc(?:uracy)?\b", True, ("nn", "knn")),
    MetricEntry("balanced accuracy", r"\bbalanced acc(?:uracy)?\b", True, ("balanced",)),
    MetricEntry(
        "mAP", r"(?-i:\bmAP(?:@[\d.:]+)?\b)|\bmean average precision\b", True, ("map", "mean")
    ),
    MetricEntry("AP50", r"(?-i:\bAP[_ ]?\{?50\}?)", True, ("ap",)),
    MetricEntry("AP75", r"(?-i:\bAP[_ ]?\{?75\}?)", True, ("ap",)),
    MetricEntry(
        "mIoU",
        r"(?-i:\bmIoU\b)|\bmean IoU\b|\bmean intersection[- ]over[- ]union\b",
        True,
        ("miou", "mean", "intersection"),
    ),
    MetricEntry(
        "IoU", r"(?-i:\bIoU\b)|\bintersection[- ]over[- ]union\b", True, ("iou", "intersection")
    ),
    MetricEntry(
        "AUROC",
        r"\bAUROC\b|\bAUC-ROC\b|\bROC[- ]AUC\b|\barea under the ROC curve\b",
        True,
        ("auroc", "auc", "area", "roc"),
    ),
    MetricEntry("AUPRC", r"\bAUPRC\b|\bAUC-PR\b", True, ("auprc", "auc")),
    MetricEntry("AUC", r"(?-i:\bAUC\b)", True, ("auc",)),
    MetricEntry("macro-F1", r"\bmacro[- ]F1\b", True, ("macro",)),
    MetricEntry("micro-F1", r"\bmicro[- ]F1\b", True, ("micro",)),
    MetricEntry("F1", r"\bF1(?:[- ]score)?\b|\bF-?score\b", True, ("f1", "f", "fscore")),
    MetricEntry("BLEU", r"(?-i:\bBLEU(?:-\d)?\b)", True, ("bleu",)),
    MetricEntry("ROUGE-L", r"\bROUGE-L\b", True, ("rouge",)),
    MetricEntry("ROUGE", r"(?-i:\bROUGE(?:-[12])?\b)", True, ("rouge",)),
    MetricEntry("METEOR", r"(?-i:\bMETEOR\b)", True, ("meteor",)),
    MetricEntry("CIDEr", r"\bCIDEr\b", True, ("cider",)),
    MetricEntry(
        "FID", r"(?-i:\bFID\b)|\bFréchet Inception Distance\b", False, ("fid", "fréchet", "frechet")
    ),
    MetricEntry("KID", r"(?-i:\bKID\b)", False, ("kid",)),
    MetricEntry("FVD", r"(?-i:\bFVD\b)", False, ("fvd",)),
    MetricEntry(
        "Inception Score",
        r"\binception score\b|(?-i:\bIS\b)(?=\s*[↑(]|$)",
        True,
        ("inception", "is"),
    ),
    MetricEntry("PSNR", r"(?-i:\bPSNR\b)", True, ("psnr",)),
    MetricEntry("SSIM", r"(?-i:\bSSIM\b)", True, ("ssim",)),
    MetricEntry("LPIPS", r"(?-i:\bLPIPS\b)", False, ("lpips",)),
    MetricEntry("CLIP score", r"\bCLIP[- ]?score\b", True, ("clip", "clipscore")),
    MetricEntry("perplexity", r"\bperplexity\b|(?-i:\bPPL\b)", False, ("perplexity", "ppl")),
    MetricEntry(
        "bits per dimension",
        r"\bbits[- ]per[- ]dim(?:ension)?\b|(?-i:\bBPD\b)",
        False,
        ("bits", "bpd"),
    ),
    MetricEntry("NLL", r"(?-i:\bNLL\b)|\bnegative log-likelihood\b", False, ("nll", "negative")),
    # "EM" alone is as often expectation-maximisation; only the spelled-out metric counts
    MetricEntry("exact match", r"\bexact[- ]match\b", True, ("exact",)),
    MetricEntry("pass@k", r"\bpass@\d+\b|\bpass@k\b", True, ("pass",)),
    MetricEntry("NDCG", r"\bn?DCG(?:@\d+)?\b", True, ("ndcg", "dcg")),
    MetricEntry("MRR", r"(?-i:\bMRR\b)|\bmean reciprocal rank\b", True, ("mrr", "reciprocal")),
    MetricEntry("Hits@k", r"\bhits@\d+\b", True, ("hits",)),
    MetricEntry("recall@k", r"\b(?:recall|R)@\d+\b|\brecall@k\b", True, ("recall", "r")),
    MetricEntry("precision@k", r"\b(?:precision|P)@\d+\b", True, ("precision", "p")),
    MetricEntry(
        "Chamfer distance",
        r"\bChamfer(?: distance)?\b|(?-i:\bCD\b)(?=\s*[↓(])",
        False,
        ("chamfer", "cd"),
    ),
    MetricEntry("EPE", r"(?-i:\bEPE\b)|\bend-point error\b", False, ("epe", "end")),
    MetricEntry("ADE", r"(?-i:\bADE\b)(?!20K)", False, ("ade",)),
    MetricEntry("FDE", r"(?-i:\bFDE\b)", False, ("fde",)),
    MetricEntry("RMSE", r"(?-i:\bRMSE\b)|\broot mean squared error\b", False, ("rmse", "root")),
    MetricEntry(
        "MAE", r"(?-i:\bMAE\b)(?=\s*[↓(]|$)|\bmean absolute error\b", False, ("mae", "absolute")
    ),
    MetricEntry("WER", r"(?-i:\bWER\b)|\bword error rate\b", False, ("wer", "word")),
    MetricEntry("CER", r"(?-i:\bCER\b)|\bcharacter error rate\b", False, ("cer", "character")),
    MetricEntry("MOS", r"(?-i:\bMOS\b)|\bmean opinion scores?\b", True, ("mos", "mean")),
    MetricEntry("ECE", r"(?-i:\bECE\b)|\bexpected calibration error\b", False, ("ece", "expected")),
    MetricEntry("Dice", r"\bDice(?: score| coefficient)?\b", True, ("dice",)),
    MetricEntry("success rate", r"\bsuccess rate\b", True, ("success",)),
    MetricEntry(
        "return",
        r"\b(?:average|mean|episodic) (?:return|reward)\b",
        True,
        ("average", "mean", "episodic"),
    ),
    MetricEntry(
        "error rate", r"\b(?:test |top-1 )?error(?: rate)?\b(?=\s*(?:\(%\)|%|↓))", False, ("error",)
    ),
    MetricEntry(
        "precision",
        # not number formats: "single-precision floating point", "mixed precision training"
        r"(?<!single[- ])(?<!half[- ])(?<!mixed[- ])(?<!double[- ])(?<!full[- ])(?<!low[- ])"
        r"(?<!numerical )(?<!bit )\bprecision\b(?![- ](?:floating|arithmetic|training|format|"
        r"weights|inference|numbers?)\b)",
        True,
        ("precision",),
    ),
    MetricEntry("recall", r"\brecall\b", True, ("recall",)),
    MetricEntry("pairwise agreement", r"\bpairwise agreement\b", True, ("pairwise",)),
    MetricEntry("accuracy", r"\bacc(?:uracy)?\b\.?", True, ("acc", "accuracy")),
)
"""Known metrics, specific before general."""

TASK_FALLBACK_METRICS: tuple[tuple[str, str], ...] = (
    (r"\breinforcement learning\b|\bAtari\b|\bMuJoCo\b|\bcontinuous control\b", "average return"),
    (r"\bpreference optimi[sz]ation|\bRLHF\b|\balignment of (?:large )?language", "win rate"),
    (
        r"\bdensity estimation|\bnormali[sz]ing flows?\b|\bvariational auto-?encoder",
        "test log-likelihood",
    ),
    (r"\bsegmentation\b", "mIoU"),  # not "segment embeddings"
    (r"\bdetect", "mAP"),
    (r"\b(?:image|video) (?:generation|synthesis)|\bdiffusion\b|\bGANs?\b", "FID"),
    (r"\btranslation\b", "BLEU"),
    # not "we summarize our contributions"
    (r"\bsummari[sz]ation\b|\bsummari[sz]\w* (?:documents|articles|news|text)", "ROUGE-L"),
    (r"\blanguage model", "perplexity"),
    (r"\bretriev|\brecommend", "recall@k"),
    (
        r"\brepresentation learning|\bself-supervised|\bunsupervised pre-?training",
        "linear-probe accuracy",
    ),
    (r"\bsentiment\b", "accuracy"),
    (r"\bquestion answering\b", "exact match"),
    (r"\bspeech recognition\b|\bASR\b", "WER"),
    (r"\btext-to-speech\b|\bspeech synthesis\b|(?-i:\bTTS\b)", "MOS"),
    (r"\b(?:entity|relation|information|triplet) extraction\b|\bnamed entit", "F1"),
    (r"\blink prediction\b|\bknowledge graph completion\b", "MRR"),
    (r"\bclassif", "accuracy"),
    (r"\bregress", "RMSE"),
)
"""When a paper names no metric: task words -> the metric that task is usually judged by."""
