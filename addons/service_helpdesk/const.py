import re

# ------------------------------------------------------------------
# The knowledge base's search
# ------------------------------------------------------------------

# PostgreSQL text-search configuration of the knowledge base (stemming, stop words).
TS_CONFIG = "english"
# Words of the search box: letters and digits only, so they never carry tsquery syntax.
WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 8
MAX_TERM_LENGTH = 40
# Markers around highlighted words in ts_headline's output; replaced by <mark> after
# the snippet is escaped, so the article's own text can never inject markup.
MARK_START, MARK_STOP = "\x02", "\x03"
# Matches counted exactly up to this number, then shown as "more than".
KB_COUNT_CAP = 1000
# Matches ranked per index (titles, full text): exact ranking below this many matches.
KB_CANDIDATES = 2000
# Typo tolerance: a word that no published article has is replaced by the most similar
# word of the knowledge base's word list (pg_trgm similarity, 0 to 1) when at least this
# similar ("libary" and "library": 0.5, "flors" and "floor": 0.33, PostgreSQL's default
# threshold); words shorter than KB_TYPO_MIN_LENGTH and words with digits (model codes)
# are never corrected, they are too easily mistaken.
KB_TYPO_SIMILARITY = 0.3
KB_TYPO_MIN_LENGTH = 4
# Search as you type: the last word is also a prefix. GIN matches a prefix several times
# slower than whole words (it collects every match of every word having it), so a prefix
# that at most this many words of the knowledge base have is searched as those words.
KB_PREFIX_WORDS = 20
# Articles suggested while a customer types a new request, and the text length considered.
KB_SUGGESTIONS = 5
KB_SUGGEST_MAX_TEXT = 500
# Counters the website may increment without write access.
KB_COUNTERS = (
    "view_count",
    "helpful_count",
    "unhelpful_count",
    "suggestion_open_count",
    "deflection_count",
)


# ------------------------------------------------------------------
# The portal request form
# ------------------------------------------------------------------

SUBJECT_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 20000
ANSWER_MAX_LENGTH = {"text": 500, "textarea": 5000}

# ------------------------------------------------------------------
# The visit a request asks for
# ------------------------------------------------------------------

# The description of the visit's service order (the request's reference, subject and text).
ORDER_DESCRIPTION_MAX = 5000

# The states every stage maps to (service.ticket.stage.state).
TICKET_STATES = [("open", "Open"), ("completed", "Completed"), ("cancelled", "Cancelled")]

# the fields the portal's tables of requests read (the requests list, a site's requests tab)
PORTAL_REQUEST_LIST_FIELDS = ["name", "subject", "priority", "site_id", "create_date", "state"]
