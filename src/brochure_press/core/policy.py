"""What printers and readers require, in one place: the limits, tolerances and resolutions the stages make and check
files by. Those an editor or printer may change are in the campaign's print spec (`campaignmodel.PrintSpec`)."""

from __future__ import annotations

# Print files

#: Printers need at least this much bleed (mm), whatever campaign.yaml says.
MIN_BLEED_MM = 3.0
#: Measures may be this far off (mm) without counting: rounding in the PDF and in the layout.
ROUNDING_MM = 0.1
#: An edge this close inside a trim edge (mm) is meant to reach it, so it must run on into the bleed.
BLEED_TOUCH_MM = 1.0
#: A panel's named destination may sit this far (mm) from where the layout puts the panel.
PANEL_MARKER_TOLERANCE_MM = 0.5
#: How far a fold may land from where it should (mm): colour breaks must be farther from the fold than this.
FOLD_TOLERANCE_MM = 1.0
#: A colour break shorter than this (mm of fold length) is a line or a mark crossing the fold, not a background.
MIN_FOLD_BREAK_MM = 5.0
#: How far (points) art may stand out of the box laid out for it: stroke caps, rounding.
ART_TOLERANCE_PT = 1.0
#: Art painted inside its box must span at least this fraction of the box's width or of its height (a drawing kept
#: to its proportions in a box of another shape fills only one of them).
ART_MIN_SPAN = 0.5
#: A CMYK colour is black when its K is at least BLACK_K, or when C, M and Y are all at least BLACK_CMY.
BLACK_K, BLACK_CMY = 0.80, 0.50
#: Rules (strokes and filled bars) at most this thick, in points as printed, overprint when 100 % K.
THIN_RULE_PT = 2.0
#: Resolution the separations are rendered at to measure ink: a pixel is 0.35 mm, fine enough for areas of ink,
#: fast enough for every build.
INK_DPI = 72
#: Ink over the limit must cover at least this much of a page (mm²) to count: a few pixels at the edges of shapes
#: do not.
INK_MIN_AREA_MM2 = 1.0
#: Two profiles of one printing condition agree within this colour difference (CIE ΔE 1976) on every patch;
#: FOGRA39 and SWOP differ by far more on the solids and on paper white.
MAX_DELTA_E = 4.0

# QR codes

#: Light modules around the symbol, as ISO/IEC 18004 asks: readers find the code by this margin.
QR_QUIET_ZONE = 4
#: Smallest printed size of the code with its quiet zone (mm); phones read it from arm's length.
QR_MIN_SIZE_MM = 20.0
#: Smallest module (mm) a phone reads reliably off paper: GS1's least X-dimension for QR codes, 0.396 mm.
QR_MIN_MODULE_MM = 0.4
#: Resolution a printed page is read at: a phone camera at arm's length sees about as much detail.
QR_READ_DPI = 300

# Layout

#: A text panel whose content takes less than this fraction of its height is reported as half empty.
MIN_PANEL_FILL = 0.6
#: More hyphenated line ends in a row than this is a run a typesetter would not pass.
MAX_HYPHENS_IN_A_ROW = 2

# Proofs, hand-off and the web edition

#: The share of a language's words a proof must read back verbatim to pass.
MIN_READ_BACK_SHARE = 0.98
#: Resolution of the hand-off's PNG proofs: enough to read 6 pt slug text, small enough to mail.
PROOF_DPI = 100
#: Most bytes a web page may weigh with its fonts: a phone on a slow or prepaid connection still opens it.
MAX_WEB_PAGE_BYTES = 250 * 1024
