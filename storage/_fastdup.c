/* The near-duplicate index's inner loops, in C: word hashes, bigrams, MinHash
 * band keys, and the band-key index (key -> items) with its candidate search; and
 * the scans of ASCII text the near-duplicate rule and extraction make (folding,
 * tokens, names, days, anchors, sentences), each the answer of a regex.
 *
 * storage/neardup.py (and normalise.py, spiders/extract.py) hold the reference
 * implementation of each in Python and numpy, used when this module is not built;
 * tests/test_fastdup.py checks that both give the same answers. Values are bit for bit those of the Python code,
 * so band keys stored by either are read by the other.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- hashing */

static uint32_t crc_table[256];

static void crc_init(void) {
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[n] = c;
    }
}

/* zlib.crc32 of a byte string. */
static uint32_t crc32_of(const unsigned char *s, Py_ssize_t n) {
    uint32_t c = 0xFFFFFFFFu;
    for (Py_ssize_t i = 0; i < n; i++) c = crc_table[(c ^ s[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

static PyObject *word_hashes(PyObject *self, PyObject *arg) {
    PyObject *seq = PySequence_Fast(arg, "word_hashes wants a sequence of str");
    if (!seq) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    PyObject *out = PyList_New(n);
    if (!out) goto fail;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t len;
        const char *s = PyUnicode_AsUTF8AndSize(PySequence_Fast_GET_ITEM(seq, i), &len);
        if (!s) goto fail;
        PyObject *v = PyLong_FromUnsignedLong(crc32_of((const unsigned char *)s, len));
        if (!v) goto fail;
        PyList_SET_ITEM(out, i, v);
    }
    Py_DECREF(seq);
    return out;
fail:
    Py_XDECREF(out);
    Py_DECREF(seq);
    return NULL;
}

/* ascii_word_hashes(text): word_hashes of the tokens an ASCII text has by the
 * pattern [A-Za-z]+|[0-9]+(?:[.,][0-9]+)* (neardup._ASCII_TOKEN), found left to
 * right as re.findall finds them, without making a string of each. */
static inline int is_alpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
static inline int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

/* The end of the token that starts at s[i], or i when none starts there. */
static inline Py_ssize_t token_end(const unsigned char *s, Py_ssize_t i, Py_ssize_t n) {
    if (is_alpha(s[i])) {
        while (i < n && is_alpha(s[i])) i++;
    } else if (is_digit(s[i])) {
        while (i < n && is_digit(s[i])) i++;
        while (i + 1 < n && (s[i] == '.' || s[i] == ',') && is_digit(s[i + 1])) {
            i++;
            while (i < n && is_digit(s[i])) i++;
        }
    }
    return i;
}

/* 0 when arg is an ASCII str, which the scans below read byte by byte; else -1, with
 * a ValueError naming the function. */
static int want_ascii(PyObject *arg, const char *name) {
    if (PyUnicode_Check(arg) && PyUnicode_IS_ASCII(arg)) return 0;
    PyErr_Format(PyExc_ValueError, "%s wants an ASCII str", name);
    return -1;
}

/* The tokens of an ASCII str, each as what make(start, length) gives; NULL on error. */
static PyObject *ascii_tokens_as(PyObject *arg, const char *name,
                                 PyObject *(*make)(const unsigned char *, Py_ssize_t)) {
    if (want_ascii(arg, name) < 0) return NULL;
    const unsigned char *s = PyUnicode_1BYTE_DATA(arg);
    Py_ssize_t n = PyUnicode_GET_LENGTH(arg);
    PyObject *out = PyList_New(0);
    if (!out) return NULL;
    for (Py_ssize_t i = 0; i < n;) {
        Py_ssize_t end = token_end(s, i, n);
        if (end == i) {
            i++;
            continue;
        }
        PyObject *v = make(s + i, end - i);
        if (!v || PyList_Append(out, v) < 0) {
            Py_XDECREF(v);
            Py_DECREF(out);
            return NULL;
        }
        Py_DECREF(v);
        i = end;
    }
    return out;
}

static PyObject *make_hash(const unsigned char *s, Py_ssize_t n) {
    return PyLong_FromUnsignedLong(crc32_of(s, n));
}

static PyObject *make_str(const unsigned char *s, Py_ssize_t n) {
    return PyUnicode_FromStringAndSize((const char *)s, n);
}

static PyObject *ascii_word_hashes(PyObject *self, PyObject *arg) {
    return ascii_tokens_as(arg, "ascii_word_hashes", make_hash);
}

/* ascii_tokens(text): what neardup._ASCII_TOKEN.findall(text) finds. */
static PyObject *ascii_tokens(PyObject *self, PyObject *arg) {
    return ascii_tokens_as(arg, "ascii_tokens", make_str);
}

/* ascii_fold(text): normalise.normalise's result for an ASCII text with no "&":
 * backticks to "'", each run of whitespace (str.split's ASCII whitespace) to one
 * space, the ends stripped, A-Z lowered (casefold is lower in ASCII). One pass
 * and one new string, where " ".join(text.split()).casefold() made a list, a
 * string per word and two whole strings. */
static unsigned char fold_to[128];  /* each character's folded form; ' ' for whitespace */
static unsigned char fold_space[128];
static unsigned char squeeze_to[128];  /* ' ' for whitespace, else itself */

static void fold_init(void) {
    for (int c = 0; c < 128; c++) {
        fold_space[c] = c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
        fold_to[c] = fold_space[c] ? ' ' : (c >= 'A' && c <= 'Z') ? c | 0x20 : c == '`' ? '\'' : c;
        squeeze_to[c] = fold_space[c] ? ' ' : c;
    }
}

/* An ASCII str with each whitespace run made one space, the ends stripped, and the
 * other characters mapped by `to`. */
static PyObject *squeezed(PyObject *arg, const unsigned char *to, const char *name) {
    if (want_ascii(arg, name) < 0) return NULL;
    const unsigned char *s = PyUnicode_1BYTE_DATA(arg);
    Py_ssize_t start = 0, end = PyUnicode_GET_LENGTH(arg);
    while (start < end && fold_space[s[start]]) start++;
    while (end > start && fold_space[s[end - 1]]) end--;
    PyObject *out = PyUnicode_New(end - start, 127);
    if (!out) return NULL;
    unsigned char *o = PyUnicode_1BYTE_DATA(out), *first = o;
    for (Py_ssize_t i = start; i < end; i++) {
        unsigned char c = s[i];
        *o++ = to[c];
        if (fold_space[c])
            while (fold_space[s[i + 1]]) i++;  /* stops by end - 1, not a space */
    }
    Py_ssize_t length = o - first;
    if (length < end - start && PyUnicode_Resize(&out, length) < 0) return NULL;
    return out;
}

static PyObject *ascii_fold(PyObject *self, PyObject *arg) {
    return squeezed(arg, fold_to, "ascii_fold");
}

/* ascii_squeeze(text): " ".join(text.split()) for an ASCII text (extraction's _clean). */
static PyObject *ascii_squeeze(PyObject *self, PyObject *arg) {
    return squeezed(arg, squeeze_to, "ascii_squeeze");
}

/* Append text[start:end] to the list out; -1 on error. The C scans read an ASCII
 * stand-in of a text and hand back pieces of the text itself (same offsets). */
static int append_piece(PyObject *out, PyObject *text, Py_ssize_t start, Py_ssize_t end) {
    PyObject *piece = PyUnicode_Substring(text, start, end);
    if (!piece) return -1;
    int bad = PyList_Append(out, piece);
    Py_DECREF(piece);
    return bad;
}

/* The (probe, text) arguments of a scan: probe ASCII, text as long. */
static int scan_args(PyObject *args, const char *name, PyObject **probe, PyObject **text) {
    if (!PyArg_ParseTuple(args, "UU", probe, text)) return -1;
    if (!PyUnicode_IS_ASCII(*probe) || PyUnicode_GET_LENGTH(*probe) != PyUnicode_GET_LENGTH(*text)) {
        PyErr_Format(PyExc_ValueError, "%s wants an ASCII str and a str of its length", name);
        return -1;
    }
    return 0;
}

/* ascii_names(probe, text): the words neardup._NAME finds in text (as re.finditer
 * finds them), less those that open a sentence (a match of
 * neardup._SENTENCE_START's group) unless in capitals: what neardup._names keeps
 * before folding. Found in probe, text's ASCII stand-in. Both patterns are
 * decided by the rules their backtracking comes to, which tests/test_fastdup.py
 * checks against re on fixture text and noise. */
static inline int is_upper(unsigned char c) { return c >= 'A' && c <= 'Z'; }
static inline int is_lower(unsigned char c) { return c >= 'a' && c <= 'z'; }
static inline int is_word(unsigned char c) { return is_alpha(c) || is_digit(c) || c == '_'; }
static inline int is_re_space(unsigned char c) { return fold_space[c]; }

/* Where _NAME's match at p ends, or -1; p is at a \b before an upper-case letter. */
static Py_ssize_t name_end(const unsigned char *s, Py_ssize_t n, Py_ssize_t p) {
    /* [A-Z][a-z]+(?:[-'][A-Za-z]+)* then \b: greedy; when the \b fails, giving back
     * the last group (ending at its separator, not a word character) is the match. */
    if (p + 1 < n && is_lower(s[p + 1])) {
        Py_ssize_t e = p + 1, last_sep = -1;
        while (e < n && is_lower(s[e])) e++;
        while (e + 1 < n && (s[e] == '-' || s[e] == '\'') && is_alpha(s[e + 1])) {
            last_sep = e;
            e++;
            while (e < n && is_alpha(s[e])) e++;
        }
        if (e >= n || !is_word(s[e])) return e;
        if (last_sep >= 0) return last_sep;
        return -1;  /* [A-Z]{2,} cannot match either: s[p + 1] is lower case */
    }
    /* [A-Z]{2,}[a-z]? then \b */
    Py_ssize_t u = p;
    while (u < n && is_upper(s[u])) u++;
    if (u - p < 2) return -1;
    if (u < n && is_lower(s[u])) return (u + 1 >= n || !is_word(s[u + 1])) ? u + 1 : -1;
    return (u >= n || !is_word(s[u])) ? u : -1;
}

/* Where _SENTENCE_START's group starts in a match beginning at p, or -1. */
static Py_ssize_t sentence_word(const unsigned char *s, Py_ssize_t n, Py_ssize_t p) {
    Py_ssize_t q;
    if (p == 0) {  /* ^ \s* ["'(]? [A-Za-z] */
        q = 0;
        while (q < n && is_re_space(s[q])) q++;
        if (q < n && (s[q] == '"' || s[q] == '\'' || s[q] == '(') && q + 1 < n && is_alpha(s[q + 1])) return q + 1;
        if (q < n && is_alpha(s[q])) return q;
    }
    if (s[p] == '.' || s[p] == '!' || s[p] == '?') {  /* [.!?]\s+ */
        q = p + 1;
        if (!(q < n && is_re_space(s[q]))) return -1;
    } else if (s[p] == '\n') {
        q = p + 1;
    } else {
        return -1;
    }
    while (q < n && is_re_space(s[q])) q++;
    if (q < n && (s[q] == '"' || s[q] == '\'' || s[q] == '(') && q + 1 < n && is_alpha(s[q + 1])) return q + 1;
    if (q < n && is_alpha(s[q])) return q;
    return -1;
}

static PyObject *ascii_names(PyObject *self, PyObject *args) {
    PyObject *probe, *text;
    if (scan_args(args, "ascii_names", &probe, &text) < 0) return NULL;
    const unsigned char *s = PyUnicode_1BYTE_DATA(probe);
    Py_ssize_t n = PyUnicode_GET_LENGTH(probe);
    /* Sentence-opening words, as finditer finds them: each search resumes at the end
     * of the last match, which is the end of its word ([\w'-]*). */
    unsigned char *opens = PyMem_Calloc(n + 1, 1);
    if (!opens) return PyErr_NoMemory();
    for (Py_ssize_t p = 0; p < n;) {
        Py_ssize_t w = sentence_word(s, n, p);
        if (w < 0) {
            p++;
            continue;
        }
        opens[w] = 1;
        Py_ssize_t e = w + 1;
        while (e < n && (is_word(s[e]) || s[e] == '\'' || s[e] == '-')) e++;
        p = e;
    }
    PyObject *out = PyList_New(0);
    if (!out) goto fail;
    for (Py_ssize_t p = 0; p < n;) {
        Py_ssize_t e = -1;
        if (is_upper(s[p]) && (p == 0 || !is_word(s[p - 1]))) e = name_end(s, n, p);
        if (e < 0) {
            p++;
            continue;
        }
        int capitals = 1;  /* str.isupper: no lower-case letter (the match has an upper) */
        for (Py_ssize_t i = p; i < e; i++)
            if (is_lower(s[i])) capitals = 0;
        if ((!opens[p] || capitals) && append_piece(out, text, p, e) < 0) goto fail;
        p = e;
    }
    PyMem_Free(opens);
    return out;
fail:
    PyMem_Free(opens);
    Py_XDECREF(out);
    return NULL;
}

/* ascii_word_digits(text): where neardup._WORD_DIGIT matches in an ASCII text:
 * each digit that opens a word (no word character before it). */
static PyObject *ascii_word_digits(PyObject *self, PyObject *arg) {
    if (want_ascii(arg, "ascii_word_digits") < 0) return NULL;
    const unsigned char *s = PyUnicode_1BYTE_DATA(arg);
    Py_ssize_t n = PyUnicode_GET_LENGTH(arg);
    PyObject *out = PyList_New(0);
    if (!out) return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (!is_digit(s[i]) || (i > 0 && is_word(s[i - 1]))) continue;
        PyObject *at = PyLong_FromSsize_t(i);
        if (!at || PyList_Append(out, at) < 0) {
            Py_XDECREF(at);
            Py_DECREF(out);
            return NULL;
        }
        Py_DECREF(at);
    }
    return out;
}

/* ascii_sentences(probe, text): the pieces neardup._SENTENCE_END.split cuts text
 * into, found in probe, its ASCII stand-in: it cuts at each whole run of
 * whitespace that follows a . ! or ? and comes before a capital or a digit, or
 * before one of " ' ( and then a capital or a digit. */
static PyObject *ascii_sentences(PyObject *self, PyObject *args) {
    PyObject *probe, *text;
    if (scan_args(args, "ascii_sentences", &probe, &text) < 0) return NULL;
    const unsigned char *s = PyUnicode_1BYTE_DATA(probe);
    Py_ssize_t n = PyUnicode_GET_LENGTH(probe), piece = 0;
    PyObject *out = PyList_New(0);
    if (!out) return NULL;
    for (Py_ssize_t p = n ? 1 : 0; p <= n; p++) {  /* "" is one piece, as split has it */
        Py_ssize_t cut = -1, next = p;
        if (p < n && fold_space[s[p]] && (s[p - 1] == '.' || s[p - 1] == '!' || s[p - 1] == '?')) {
            Py_ssize_t e = p;
            while (e < n && fold_space[s[e]]) e++;
            Py_ssize_t q = e < n && (s[e] == '"' || s[e] == '\'' || s[e] == '(') ? e + 1 : e;
            int opens = (e < n && (is_upper(s[e]) || is_digit(s[e])))
                        || (q > e && q < n && (is_upper(s[q]) || is_digit(s[q])));
            if (opens) cut = p, next = e;
        }
        if (p == n) cut = n, next = n;
        if (cut < 0) continue;
        if (append_piece(out, text, piece, cut) < 0) {
            Py_DECREF(out);
            return NULL;
        }
        piece = next;
        p = next;  /* the loop's p++ then looks past the run's first character */
    }
    return out;
}

/* ascii_anchors(probe, text): what neardup._ANCHOR.finditer finds in text, found
 * in probe (its ASCII stand-in): a month named alone, in its case, or a relative
 * anchor in any case, a space in it standing for any run of whitespace; whole words.
 * The alternatives, in the pattern's order, are set by set_anchors. */
#define MAX_ANCHORS 64
static char *anchor_words[MAX_ANCHORS];
static int anchor_folds[MAX_ANCHORS];  /* 1: any case (the relative anchors) */
static int n_anchors;

static PyObject *set_anchors(PyObject *self, PyObject *args) {
    PyObject *cased, *folded;
    if (!PyArg_ParseTuple(args, "O!O!", &PyTuple_Type, &cased, &PyTuple_Type, &folded)) return NULL;
    Py_ssize_t total = PyTuple_GET_SIZE(cased) + PyTuple_GET_SIZE(folded);
    if (total > MAX_ANCHORS) {
        PyErr_SetString(PyExc_ValueError, "set_anchors: too many anchors");
        return NULL;
    }
    for (int i = 0; i < n_anchors; i++) PyMem_Free(anchor_words[i]);
    n_anchors = 0;
    for (Py_ssize_t i = 0; i < total; i++) {
        int fold = i >= PyTuple_GET_SIZE(cased);
        PyObject *word = PyTuple_GET_ITEM(fold ? folded : cased, fold ? i - PyTuple_GET_SIZE(cased) : i);
        Py_ssize_t size;
        const char *utf8 = PyUnicode_Check(word) ? PyUnicode_AsUTF8AndSize(word, &size) : NULL;
        if (!utf8 || !PyUnicode_IS_ASCII(word) || size == 0) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "set_anchors wants ASCII words");
            return NULL;
        }
        char *copy = PyMem_Malloc(size + 1);
        if (!copy) return PyErr_NoMemory();
        for (Py_ssize_t k = 0; k <= size; k++)
            copy[k] = fold && is_upper((unsigned char)utf8[k]) ? utf8[k] | 0x20 : utf8[k];
        anchor_words[n_anchors] = copy;
        anchor_folds[n_anchors++] = fold;
    }
    Py_RETURN_NONE;
}

/* Where anchor i matching at p ends, or -1 (no match, or no word boundary after it). */
static Py_ssize_t anchor_end(const unsigned char *s, Py_ssize_t n, Py_ssize_t p, int i) {
    const unsigned char *w = (const unsigned char *)anchor_words[i];
    Py_ssize_t e = p;
    for (; *w; w++) {
        if (*w == ' ') {
            if (!(e < n && fold_space[s[e]])) return -1;
            while (e < n && fold_space[s[e]]) e++;
        } else {
            if (e >= n) return -1;
            unsigned char c = s[e];
            if (anchor_folds[i] && is_upper(c)) c |= 0x20;
            if (c != *w) return -1;
            e++;
        }
    }
    return (e >= n || !is_word(s[e])) ? e : -1;
}

static PyObject *ascii_anchors(PyObject *self, PyObject *args) {
    PyObject *probe, *text;
    if (scan_args(args, "ascii_anchors", &probe, &text) < 0) return NULL;
    const unsigned char *s = PyUnicode_1BYTE_DATA(probe);
    Py_ssize_t n = PyUnicode_GET_LENGTH(probe);
    PyObject *out = PyList_New(0);
    if (!out) return NULL;
    for (Py_ssize_t p = 0; p < n;) {
        Py_ssize_t e = -1;
        if (is_alpha(s[p]) && (p == 0 || !is_word(s[p - 1]))) {
            unsigned char lower = s[p] | 0x20;
            for (int i = 0; i < n_anchors && e < 0; i++) {
                unsigned char first = (unsigned char)anchor_words[i][0];
                if (anchor_folds[i] ? lower == first : s[p] == first) e = anchor_end(s, n, p, i);
            }
        }
        if (e < 0) {
            p++;
            continue;
        }
        if (append_piece(out, text, p, e) < 0) {
            Py_DECREF(out);
            return NULL;
        }
        p = e;
    }
    return out;
}

/* Word bigrams as 32-bit values: (a * 0x9E3779B1 ^ b) & 0xFFFFFFFF; a lone word as itself. */
static PyObject *bigrams(PyObject *self, PyObject *arg) {
    PyObject *seq = PySequence_Fast(arg, "bigrams wants a sequence of int");
    if (!seq) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    PyObject *out = PyFrozenSet_New(NULL);
    if (!out) goto fail;
    if (n < 2) {
        for (Py_ssize_t i = 0; i < n; i++)
            if (PySet_Add(out, PySequence_Fast_GET_ITEM(seq, i)) < 0) goto fail;
        Py_DECREF(seq);
        return out;
    }
    uint64_t prev = PyLong_AsUnsignedLongLongMask(PySequence_Fast_GET_ITEM(seq, 0));
    if (PyErr_Occurred()) goto fail;
    for (Py_ssize_t i = 1; i < n; i++) {
        uint64_t cur = PyLong_AsUnsignedLongLongMask(PySequence_Fast_GET_ITEM(seq, i));
        if (PyErr_Occurred()) goto fail;
        PyObject *v = PyLong_FromUnsignedLong((uint32_t)((prev * 0x9E3779B1u) ^ cur));
        if (!v) goto fail;
        int bad = PySet_Add(out, v);
        Py_DECREF(v);
        if (bad < 0) goto fail;
        prev = cur;
    }
    Py_DECREF(seq);
    return out;
fail:
    Py_XDECREF(out);
    Py_DECREF(seq);
    return NULL;
}

/* ---------------------------------------------------------------- MinHash */

/* bigram_bytes(words): bigrams()'s values packed as native 32-bit integers (an
 * array('I')'s bytes), in order and not deduplicated: as a set they are bigrams()'s,
 * made without an int object for each. bands_many takes them as they are. */
static PyObject *bigram_bytes(PyObject *self, PyObject *arg) {
    PyObject *seq = PySequence_Fast(arg, "bigram_bytes wants a sequence of int");
    if (!seq) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq), count = n < 2 ? n : n - 1;
    PyObject *out = PyBytes_FromStringAndSize(NULL, count * (Py_ssize_t)sizeof(uint32_t));
    if (!out) goto fail;
    uint32_t *to = (uint32_t *)PyBytes_AS_STRING(out);
    uint64_t prev = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        uint64_t cur = PyLong_AsUnsignedLongLongMask(PySequence_Fast_GET_ITEM(seq, i));
        if (PyErr_Occurred()) goto fail;
        if (n < 2)
            to[i] = (uint32_t)cur;
        else if (i > 0)
            to[i - 1] = (uint32_t)((prev * 0x9E3779B1u) ^ cur);
        prev = cur;
    }
    Py_DECREF(seq);
    return out;
fail:
    Py_XDECREF(out);
    Py_DECREF(seq);
    return NULL;
}

static uint64_t *perm_a, *perm_b, *band_mix, *band_offsets;
static Py_ssize_t n_perm, n_rows, n_bands;

static int copy_words(PyObject *bytes, uint64_t **to, Py_ssize_t *count) {
    char *data;
    Py_ssize_t len;
    if (PyBytes_AsStringAndSize(bytes, &data, &len) < 0) return -1;
    uint64_t *words = PyMem_Malloc(len ? len : 1);
    if (!words) return PyErr_NoMemory(), -1;
    memcpy(words, data, len);
    PyMem_Free(*to);
    *to = words;
    *count = len / 8;
    return 0;
}

/* setup(a, b, mix, offsets): the MinHash constants as native-endian uint64 bytes. */
static PyObject *setup(PyObject *self, PyObject *args) {
    PyObject *a, *b, *mix, *offsets;
    Py_ssize_t na, nb;
    if (!PyArg_ParseTuple(args, "SSSS", &a, &b, &mix, &offsets)) return NULL;
    if (copy_words(a, &perm_a, &na) < 0 || copy_words(b, &perm_b, &nb) < 0 ||
        copy_words(mix, &band_mix, &n_rows) < 0 || copy_words(offsets, &band_offsets, &n_bands) < 0)
        return NULL;
    n_perm = na < nb ? na : nb;
    Py_RETURN_NONE;
}

/* bands_many(sets, bands): the first `bands` band keys of each set of 32-bit shingles. */
static PyObject *bands_many(PyObject *self, PyObject *args) {
    PyObject *sets;
    Py_ssize_t bands;
    if (!PyArg_ParseTuple(args, "On", &sets, &bands)) return NULL;
    if (bands < 0 || bands > n_bands || bands * n_rows > n_perm) {
        PyErr_SetString(PyExc_ValueError, "bands_many: more bands than set up");
        return NULL;
    }
    PyObject *seq = PySequence_Fast(sets, "bands_many wants a sequence of sets");
    if (!seq) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq), used = bands * n_rows, cap = 0;
    uint64_t *values = NULL, *sig = PyMem_Malloc((used ? used : 1) * sizeof(uint64_t));
    PyObject *out = PyList_New(n);
    if (!sig || !out) goto fail;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *set = PySequence_Fast_GET_ITEM(seq, i);
        int packed = PyBytes_Check(set);  /* bigram_bytes()'s values */
        Py_ssize_t size = packed ? PyBytes_GET_SIZE(set) / (Py_ssize_t)sizeof(uint32_t)
                                 : PyObject_Length(set), k = 0;
        if (size < 0) goto fail;
        if (size > cap) {
            PyMem_Free(values);
            cap = size * 2;
            values = PyMem_Malloc(cap * sizeof(uint64_t));
            if (!values) goto fail;
        }
        if (packed) {
            const uint32_t *from = (const uint32_t *)PyBytes_AS_STRING(set);
            for (; k < size; k++) values[k] = from[k];
        } else {
            PyObject *it = PyObject_GetIter(set), *v;
            if (!it) goto fail;
            while ((v = PyIter_Next(it)) && k < size) {
                values[k++] = PyLong_AsUnsignedLongLongMask(v);
                Py_DECREF(v);
            }
            Py_XDECREF(v);
            Py_DECREF(it);
            if (PyErr_Occurred()) goto fail;
        }
        PyObject *keys = PyTuple_New(k ? bands : 0);
        if (!keys) goto fail;
        PyList_SET_ITEM(out, i, keys);
        if (!k) continue;
        /* Value by value over every permutation: each step of the inner loop stands
         * alone, where a minimum over the values chained each step to the last. */
        for (Py_ssize_t j = 0; j < used; j++) sig[j] = UINT64_MAX;
        for (Py_ssize_t m = 0; m < k; m++) {
            uint64_t v = values[m];
            for (Py_ssize_t j = 0; j < used; j++) {
                uint64_t h = perm_a[j] * v + perm_b[j];
                sig[j] = h < sig[j] ? h : sig[j];
            }
        }
        for (Py_ssize_t band = 0; band < bands; band++) {
            uint64_t key = band_offsets[band];
            for (Py_ssize_t r = 0; r < n_rows; r++) key += sig[band * n_rows + r] * band_mix[r];
            PyObject *num = PyLong_FromLongLong((long long)(int64_t)key);
            if (!num) goto fail;
            PyTuple_SET_ITEM(keys, band, num);
        }
    }
    PyMem_Free(values);
    PyMem_Free(sig);
    Py_DECREF(seq);
    return out;
fail:
    PyMem_Free(values);
    PyMem_Free(sig);
    Py_XDECREF(out);
    Py_DECREF(seq);
    return NULL;
}

/* ---------------------------------------------------------------- the index
 *
 * An open-addressing table of slots, one per distinct key, holding the key, how
 * many items hold it and the first INLINE of them: most keys belong to one to
 * four items, and a probe reads one slot (half a cache line). Further items of a
 * key are nodes chained from its slot, newest first.
 *
 * A key held by more than `stock` items is a stock phrase: a lookup skips it, so
 * the index stops keeping its items. On a formulaic site that is most postings
 * (bench: 58% of them, and 41% of a lookup's keys), which a lookup used to walk,
 * node by scattered node, only to find there were too many. Items' facts masks
 * sit in an array by item id.
 */

#define INLINE 4

typedef struct {
    int64_t key;
    uint32_t item[INLINE]; /* the key's first items' ids + 1 */
    int32_t more;          /* the newest further item's node, or -1 */
    uint32_t count;        /* items holding the key, up to stock + 1; 0: an empty slot */
} Slot;

typedef struct {
    uint32_t item; /* item id + 1 */
    int32_t next;  /* the next older node of the key, or -1 */
} Node;

typedef struct {
    PyObject_HEAD
    Slot *slots;
    Py_ssize_t n_keys, cap_slots; /* cap_slots: a power of two */
    Node *nodes;
    Py_ssize_t n_nodes, cap_nodes;
    int64_t *facts;
    Py_ssize_t cap_facts;
    int64_t seen;
    Py_ssize_t postings;
    Py_ssize_t stock; /* the most items a key may have and still be looked up */
} KeyIndex;

static int KeyIndex_init(KeyIndex *self, PyObject *args, PyObject *kwds) {
    static char *names[] = {"stock", NULL};
    Py_ssize_t stock = UINT32_MAX - 1;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|n", names, &stock)) return -1;
    if (stock < 1 || stock >= UINT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "stock must lie in 1 .. 2**32 - 2");
        return -1;
    }
    self->stock = stock;
    return 0;
}

static inline uint64_t mix64(int64_t key) {
    uint64_t x = (uint64_t)key;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return x;
}

static Slot *find_slot(Slot *slots, Py_ssize_t cap, int64_t key) {
    Py_ssize_t mask = cap - 1, at = (Py_ssize_t)(mix64(key) & mask);
    while (slots[at].count && slots[at].key != key) at = (at + 1) & mask;
    return &slots[at];
}

static int grow_slots(KeyIndex *self) {
    Py_ssize_t cap = self->cap_slots ? self->cap_slots * 2 : 1 << 15;
    Slot *slots = PyMem_Calloc(cap, sizeof(Slot));
    if (!slots) return PyErr_NoMemory(), -1;
    for (Py_ssize_t i = 0; i < self->cap_slots; i++)
        if (self->slots[i].count) *find_slot(slots, cap, self->slots[i].key) = self->slots[i];
    PyMem_Free(self->slots);
    self->slots = slots;
    self->cap_slots = cap;
    return 0;
}

static int add_node(KeyIndex *self, Slot *slot, uint32_t item) {
    if (self->n_nodes == self->cap_nodes) {
        Py_ssize_t cap = self->cap_nodes ? self->cap_nodes * 2 : 1 << 12;
        if (cap > INT32_MAX) {
            PyErr_SetString(PyExc_MemoryError, "near-duplicate index full");
            return -1;
        }
        Node *nodes = PyMem_Realloc(self->nodes, cap * sizeof(Node));
        if (!nodes) return PyErr_NoMemory(), -1;
        self->nodes = nodes;
        self->cap_nodes = cap;
    }
    self->nodes[self->n_nodes] = (Node){item, slot->more};
    slot->more = (int32_t)self->n_nodes++;
    return 0;
}

static int add_posting(KeyIndex *self, int64_t key, uint32_t item) {
    if ((self->n_keys + 1) * 10 >= self->cap_slots * 7 && grow_slots(self) < 0) return -1;
    Slot *slot = find_slot(self->slots, self->cap_slots, key);
    Py_ssize_t count = slot->count;
    if (!count) {
        *slot = (Slot){.key = key, .item = {item}, .more = -1, .count = 1};
        self->n_keys++;
        self->postings++;
        return 0;
    }
    if (count > self->stock) return 0; /* a stock key: its items are not kept */
    uint32_t newest = count <= INLINE ? slot->item[count - 1] : self->nodes[slot->more].item;
    if (newest == item) return 0; /* a key twice in one item */
    if (count == self->stock) { /* one item too many: a stock key from now on */
        slot->count++;
        slot->more = -1; /* its nodes are left unused */
        self->postings -= count;
        return 0;
    }
    if (count < INLINE)
        slot->item[count] = item;
    else if (add_node(self, slot, item) < 0)
        return -1;
    slot->count++;
    self->postings++;
    return 0;
}

static int set_facts(KeyIndex *self, int64_t item, int64_t facts) {
    if (item < 0 || item >= UINT32_MAX) {
        PyErr_SetString(PyExc_OverflowError, "item ids must lie in 0 .. 2**32 - 2");
        return -1;
    }
    if (item >= self->cap_facts) {
        Py_ssize_t cap = self->cap_facts ? self->cap_facts : 1024;
        while (cap <= item) cap *= 2;
        int64_t *grown = PyMem_Realloc(self->facts, cap * sizeof(int64_t));
        if (!grown) return PyErr_NoMemory(), -1;
        memset(grown + self->cap_facts, 0, (cap - self->cap_facts) * sizeof(int64_t));
        self->facts = grown;
        self->cap_facts = cap;
    }
    self->facts[item] = facts;
    if (item > self->seen) self->seen = item;
    return 0;
}

/* add(item_id, packed, facts): an item's band keys as little-endian int64 bytes. */
static PyObject *KeyIndex_add(KeyIndex *self, PyObject *args) {
    long long item, facts;
    Py_buffer packed;
    if (!PyArg_ParseTuple(args, "Ly*L", &item, &packed, &facts)) return NULL;
    PyObject *result = NULL;
    if (set_facts(self, item, facts) < 0) goto done;
    const unsigned char *p = packed.buf;
    for (Py_ssize_t i = 0; i + 8 <= packed.len; i += 8) {
        uint64_t v = 0;
        for (int b = 7; b >= 0; b--) v = v << 8 | p[i + b];
        if (add_posting(self, (int64_t)v, (uint32_t)item + 1) < 0) goto done;
    }
    result = Py_NewRef(Py_None);
done:
    PyBuffer_Release(&packed);
    return result;
}

typedef struct {
    int64_t item;
    Py_ssize_t hits;
} Hit;

/* Sorting in place, ascending. libc's qsort, calling a comparison function per
 * step, took three quarters of a lookup's instructions (callgrind, bench crawl). */
static void sort_ids(int64_t *a, Py_ssize_t n) {
    while (n > 16) {
        int64_t x = a[0], y = a[n / 2], z = a[n - 1];
        int64_t pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
        Py_ssize_t i = -1, j = n;
        for (;;) { /* Hoare's partition: a[0..j] <= pivot <= a[j+1..n) */
            do i++; while (a[i] < pivot);
            do j--; while (a[j] > pivot);
            if (i >= j) break;
            int64_t t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        Py_ssize_t left = j + 1; /* the smaller side by recursion, the larger by the loop */
        if (left < n - left) {
            sort_ids(a, left);
            a += left;
            n -= left;
        } else {
            sort_ids(a + left, n - left);
            n = left;
        }
    }
    for (Py_ssize_t i = 1; i < n; i++) {
        int64_t v = a[i];
        Py_ssize_t j = i;
        for (; j > 0 && a[j - 1] > v; j--) a[j] = a[j - 1];
        a[j] = v;
    }
}

/* Whether x ranks before y: more hits, then the lower item. */
static inline int ranks_before(Hit x, Hit y) {
    return x.hits != y.hits ? x.hits > y.hits : x.item < y.item;
}

/* candidates(queries, limit, min_hits, max_postings) -> list of lists of item ids.
 * Each query is (band keys, facts mask); see BandIndex.candidates_many. */
static PyObject *KeyIndex_candidates(KeyIndex *self, PyObject *args) {
    PyObject *queries;
    Py_ssize_t limit, min_hits, max_postings;
    if (!PyArg_ParseTuple(args, "Onnn", &queries, &limit, &min_hits, &max_postings)) return NULL;
    if (limit < 0) limit = 0;
    if (max_postings > self->stock) {
        PyErr_SetString(PyExc_ValueError, "max_postings above the index's stock: their items are gone");
        return NULL;
    }
    PyObject *seq = PySequence_Fast(queries, "candidates wants a sequence of queries");
    if (!seq) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq), cap = 0;
    int64_t *found = NULL, *keys = NULL;
    Py_ssize_t cap_keys = 0, cap_hits = 0;
    Hit *hits = NULL;
    PyObject *out = PyList_New(n);
    if (!out) goto fail;
    for (Py_ssize_t q = 0; q < n; q++) {
        PyObject *query = PySequence_Fast_GET_ITEM(seq, q), *bands;
        long long mask;
        if (!PyArg_ParseTuple(query, "OL", &bands, &mask)) goto fail;
        /* The keys as numbers, or packed as pack_bands packs them (little-endian int64). */
        int packed = PyBytes_Check(bands);
        PyObject *bseq = packed ? Py_NewRef(bands) : PySequence_Fast(bands, "band keys must be a sequence");
        if (!bseq) goto fail;
        Py_ssize_t nb = packed ? PyBytes_GET_SIZE(bseq) / 8 : PySequence_Fast_GET_SIZE(bseq);
        if (nb > cap_keys) {
            PyMem_Free(keys);
            cap_keys = nb * 2;
            keys = PyMem_Malloc(cap_keys * sizeof(int64_t));
            if (!keys) {
                Py_DECREF(bseq);
                goto fail;
            }
        }
        if (packed) {
            const unsigned char *p = (const unsigned char *)PyBytes_AS_STRING(bseq);
            for (Py_ssize_t i = 0; i < nb; i++) {
                uint64_t v = 0;
                for (int b = 7; b >= 0; b--) v = v << 8 | p[8 * i + b];
                keys[i] = (int64_t)v;
            }
        } else {
            for (Py_ssize_t i = 0; i < nb; i++) keys[i] = PyLong_AsLongLong(PySequence_Fast_GET_ITEM(bseq, i));
        }
        Py_DECREF(bseq);
        if (PyErr_Occurred()) goto fail;
        sort_ids(keys, nb); /* so a key given twice counts once */
        Py_ssize_t k = 0;
        for (Py_ssize_t i = 0; i < nb && self->cap_slots; i++) {
            if (i && keys[i] == keys[i - 1]) continue;
            Slot *slot = find_slot(self->slots, self->cap_slots, keys[i]);
            Py_ssize_t count = slot->count;
            if (!count || count > max_postings) continue;
            if (k + count > cap) {
                cap = (k + count) * 2;
                int64_t *grown = PyMem_Realloc(found, cap * sizeof(int64_t));
                if (!grown) {
                    PyErr_NoMemory();
                    goto fail;
                }
                found = grown;
            }
            for (Py_ssize_t j = 0; j < count && j < INLINE; j++) found[k++] = (int64_t)slot->item[j] - 1;
            for (int32_t at = slot->more; at >= 0; at = self->nodes[at].next)
                found[k++] = (int64_t)self->nodes[at].item - 1;
        }
        sort_ids(found, k);
        /* The best `limit` in rank order, kept by insertion as the hits are counted. */
        if (limit > cap_hits) {
            Hit *grown = PyMem_Realloc(hits, limit * sizeof(Hit));
            if (!grown) {
                PyErr_NoMemory();
                goto fail;
            }
            hits = grown;
            cap_hits = limit;
        }
        Py_ssize_t take = 0;
        for (Py_ssize_t i = 0; i < k;) {
            Py_ssize_t j = i;
            while (j < k && found[j] == found[i]) j++;
            int64_t item = found[i], theirs = item < self->cap_facts ? self->facts[item] : 0;
            Hit hit = {item, j - i};
            i = j;
            if (hit.hits < min_hits || ((theirs & ~mask) != 0 && (mask & ~theirs) != 0)) continue;
            if (take == limit && (!limit || !ranks_before(hit, hits[take - 1]))) continue;
            Py_ssize_t at = take < limit ? take++ : take - 1;
            for (; at > 0 && ranks_before(hit, hits[at - 1]); at--) hits[at] = hits[at - 1];
            hits[at] = hit;
        }
        PyObject *ids = PyList_New(take);
        if (!ids) goto fail;
        PyList_SET_ITEM(out, q, ids);
        for (Py_ssize_t i = 0; i < take; i++) {
            PyObject *v = PyLong_FromLongLong(hits[i].item);
            if (!v) goto fail;
            PyList_SET_ITEM(ids, i, v);
        }
    }
    PyMem_Free(found);
    PyMem_Free(keys);
    PyMem_Free(hits);
    Py_DECREF(seq);
    return out;
fail:
    PyMem_Free(found);
    PyMem_Free(keys);
    PyMem_Free(hits);
    Py_XDECREF(out);
    Py_DECREF(seq);
    return NULL;
}

static PyObject *KeyIndex_seen(KeyIndex *self, void *closure) { return PyLong_FromLongLong(self->seen); }

static PyObject *KeyIndex_postings(KeyIndex *self, void *closure) { return PyLong_FromSsize_t(self->postings); }

static PyObject *KeyIndex_nbytes(KeyIndex *self, void *closure) {
    return PyLong_FromSsize_t(self->cap_nodes * sizeof(Node) + self->cap_slots * sizeof(Slot) +
                              self->cap_facts * sizeof(int64_t));
}

static void KeyIndex_dealloc(KeyIndex *self) {
    PyMem_Free(self->nodes);
    PyMem_Free(self->slots);
    PyMem_Free(self->facts);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyMethodDef KeyIndex_methods[] = {
    {"add", (PyCFunction)KeyIndex_add, METH_VARARGS, "add(item_id, packed_keys, facts)"},
    {"candidates", (PyCFunction)KeyIndex_candidates, METH_VARARGS,
     "candidates(queries, limit, min_hits, max_postings)"},
    {NULL},
};

static PyGetSetDef KeyIndex_getset[] = {
    {"seen", (getter)KeyIndex_seen, NULL, "the highest item id added", NULL},
    {"postings", (getter)KeyIndex_postings, NULL, "(key, item) pairs held", NULL},
    {"nbytes", (getter)KeyIndex_nbytes, NULL, "memory held, in bytes", NULL},
    {NULL},
};

static PyTypeObject KeyIndexType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "storage._fastdup.KeyIndex",
    .tp_basicsize = sizeof(KeyIndex),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "KeyIndex(stock=2**32-2): band keys of stored items, key -> items, with each item's facts mask;\n"
               "a key of more than `stock` items is a stock phrase, and its items are not kept.",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)KeyIndex_init,
    .tp_dealloc = (destructor)KeyIndex_dealloc,
    .tp_methods = KeyIndex_methods,
    .tp_getset = KeyIndex_getset,
};

static PyMethodDef module_methods[] = {
    {"word_hashes", word_hashes, METH_O, "zlib.crc32 of each word's UTF-8"},
    {"ascii_word_hashes", ascii_word_hashes, METH_O, "word_hashes of an ASCII text's words and numbers"},
    {"ascii_tokens", ascii_tokens, METH_O, "the words and numbers of an ASCII text"},
    {"set_anchors", set_anchors, METH_VARARGS, "set_anchors(cased, any_case): ascii_anchors' words"},
    {"ascii_anchors", ascii_anchors, METH_VARARGS, "ascii_anchors(probe, text): _ANCHOR's finds"},
    {"ascii_sentences", ascii_sentences, METH_VARARGS, "ascii_sentences(probe, text): text's sentences"},
    {"ascii_word_digits", ascii_word_digits, METH_O, "where a digit opens a word"},
    {"ascii_names", ascii_names, METH_VARARGS, "ascii_names(probe, text): the names _names keeps"},
    {"ascii_squeeze", ascii_squeeze, METH_O, "' '.join(text.split()) of an ASCII text"},
    {"ascii_fold", ascii_fold, METH_O, "normalise() of an ASCII text with no '&'"},
    {"bigram_bytes", bigram_bytes, METH_O, "bigrams' values as packed 32-bit integers"},
    {"bigrams", bigrams, METH_O, "word bigrams of a list of word hashes, as a frozenset"},
    {"setup", setup, METH_VARARGS, "setup(a, b, mix, offsets): the MinHash constants"},
    {"bands_many", bands_many, METH_VARARGS, "bands_many(sets, bands): band keys of each set (or bigram_bytes)"},
    {NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "storage._fastdup", "The near-duplicate index's inner loops.", -1,
    module_methods,
};

PyMODINIT_FUNC PyInit__fastdup(void) {
    crc_init();
    fold_init();
    if (PyType_Ready(&KeyIndexType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
    if (PyModule_AddObjectRef(m, "KeyIndex", (PyObject *)&KeyIndexType) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
