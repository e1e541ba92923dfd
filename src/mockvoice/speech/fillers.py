"""Hesitations ("um", "uh") that the transcript leaves out, found in the audio itself.

Whisper writes fluent text: tiny.en drops most "um"/"uh" or folds them into the next word's
time, so counting filler words in the transcript misses them. A hesitation is acoustically
plain, though: one central vowel ([ə]/[ʌ]/[ɜ]; "um" closes on [m]) held 0.15-1 s with a steady
spectrum and pitch, where speech changes sound every 50-100 ms. `heard_fillers` finds such
stretches with numpy alone (no model, a few MB for a 3-minute answer):

1. 20 ms frames (40 ms windows) at 8 kHz: energy, periodicity and pitch (autocorrelation,
   octave-checked), spectral envelope (cepstrum), energy above vs below 1 kHz.
2. Steady frames: voiced, envelope changing less than STEADY_CHANGE x this recording's median
   change over 50 ms, pitch continuous. Runs of them (20 ms gaps bridged), 0.1 s or longer; a
   nasal murmur right after a run (high band NASAL_DROP_DB down) is its "m".
3. A run is a hesitation when it lasts MIN_S..MAX_S, changes at most MAX_CHANGE x the median,
   keeps its pitch within MAX_PITCH_RANGE_ST (a drawn-out "well" glides) and its second formant
   (LPC on the smoothed envelope) is at most MAX_F2 x the speaker's median: a central or back
   vowel, not the [i]/[ɪ]/[e] that drawn-out words hold. Runs under MERGE_S apart join.
4. The transcript: each filler word it already has ("um", "uh", ...) accounts for one
   hesitation within DEDUPE_S (paired in time order: tiny.en writes them up to 0.7 s late), so
   `written fillers + heard_fillers` counts each once; and a run inside a transcribed word with
   no time to spare is that word's own vowel ("problem" ends in [-əm]).

Measured on 7.2 min of piper-steady and espeak answers with 76 known um/uh (tests/devset/
fillers.py) and 3.4 min of real voices (24 LJ Speech clips read aloud, a phone call with one
"uh"), `.venv/bin/python -m bench.fillers --alternatives`:
- filler words in the transcript (today): recall 0.24, nothing invented on real voices.
- voiced stretches that no word covers (Silero speech probability >= 0.5 minus word times,
  >= 0.2 s): recall 0.42, 3.0 invented/min (4.6 on LJ). Whisper stretches the neighbouring
  word's time over a dropped "um" (a 1.1 s "was"), so most hesitations are never in a gap.
- a second decoding of the candidate stretches (tiny.en, clips packed into one window, prompt
  "Um, uh,"): writes "um"/"uh" for most true ones but also on some word clips, loops without
  the prompt, and costs 0.35 s of encoder per 30 s window plus 0.3-1.0 s of decoding on 2
  cores: the 1 s feedback budget on its own. Not used.
- this detector + the written words: recall 1.00 (19/19 in answers written after the
  thresholds were frozen), 6 % extra, 0.29 invented/min on the real voices (the call's "uh"
  found); 0.14 s for a 3-minute answer (0.05 s per minute), "um"/"uh" told apart 72/77.
Not found: a fast speaker's clipped "uh" voiced at the words' tempo (about 0.1 s of vowel:
recall 0.18 on the dev set's "fluent" answers; MIN_S 0.10 would find 0.29 of them but invent
1.4 per minute on LJ Speech instead of 0.35); a creaky or whispered "uh" (no pitch); recall
falls in noise (20 dB SNR: 0.81 on piper) and strong reverberation (piper 0.28); all voices but
one real "uh" are synthetic.

Call it once on the whole answer when the transcript is final (after
`transcribe_in_utterances` or `LiveTranscriber.finish()`): it needs the 16 kHz audio and the
transcript only, and computes its own features (no VAD).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np

from mockvoice.scenario.rules import default_rules
from mockvoice.speech.transcript import Hesitation, Transcript, word_key

SAMPLE_RATE = 16_000
RATE = 8_000  # analysis rate: hesitations live below 4 kHz, and it halves the cost
HOP = 160  # 20 ms
WIN = 320  # 40 ms: two periods of a 50 Hz voice
NFFT = 512
FRAME_S = HOP / RATE
F0_RANGE = (60.0, 400.0)
N_CEPS = 16  # cepstral envelope for spectral change (quefrency < 2 ms: no pitch harmonics)
ENVELOPE_CEPS = 20  # for formants: the envelope without harmonics of voices up to 400 Hz (2.5 ms)
LPC_ORDER = 10

VOICED_PERIODICITY = 0.5
VOICED_BELOW_TOP_DB = 30.0  # quieter than the loud frames by more than this: not voiced speech
CHANGE_SPAN_S = 0.05  # between the envelopes compared
STEADY_CHANGE = 0.8  # a steady frame changes less than this x the recording's median change
PITCH_JUMP_OCT_PER_S = 8.0  # faster (1 semitone in 10 ms) is a jump, not a glide
GAP_S = 0.02  # bridged inside a steady run
MIN_RUN_S = 0.1

MIN_S = 0.15
MAX_S = 1.5  # longer steady tones are hums or beeps
MAX_CHANGE = 0.6
MAX_F2 = 1.1  # x the recording's median second formant
MAX_PITCH_RANGE_ST = 8.0  # a drawn-out "well" glides; a hesitation holds its pitch
REFERENCE_FRAMES = 600  # voiced frames whose formants give the speaker's median
MERGE_S = 0.1
DEDUPE_S = 1.0  # tiny.en puts a written "uh" up to 0.7 s late, at the next word
SECONDS_PER_LETTER = 0.075  # about 13 letters a second: a word's own time
NASAL_DROP_DB = 6.0


@dataclass(frozen=True)
class Stretch:
    """A steady voiced stretch and what decides whether it is a hesitation."""

    start: float
    end: float  # with its nasal close, if any
    change: float  # mean spectral change, x the recording's median
    f2: float  # median second formant, x the recording's median (nan: not measured, not needed)
    pitch_range_st: float  # 10th to 90th percentile of the pitch, semitones
    nasal: bool  # closes on a nasal murmur: "um"

    @property
    def duration(self) -> float:
        return self.end - self.start

    @property
    def is_hesitation(self) -> bool:
        return (
            MIN_S <= self.duration <= MAX_S
            and self.change <= MAX_CHANGE
            and self.f2 <= MAX_F2
            and self.pitch_range_st <= MAX_PITCH_RANGE_ST
        )


def heard_fillers(
    audio: np.ndarray, transcript: Transcript, known_words: Iterable[str] | None = None
) -> tuple[Hesitation, ...]:
    """Hesitations heard in `audio` (16 kHz mono, the whole answer) that `transcript` (same
    clock) does not already have as one of `known_words` (default: data/delivery.yaml's
    `hesitations`, the words the transcript count already counts)."""
    if known_words is None:
        known_words = default_rules().hesitations
    heard = [h for h in hesitations(audio) if not _inside_busy_word(h, transcript.words)]
    known = set(known_words)
    written = [(w.start, w.end) for w in transcript.words if word_key(w.text) in known]
    accounted = pair_in_order(written, heard, DEDUPE_S)
    return tuple(h for k, h in enumerate(heard) if k not in accounted)


def pair_in_order(
    written: list[tuple[float, float]], heard: list[Hesitation], within: float = DEDUPE_S
) -> dict[int, int]:
    """{heard index: written index} for the hesitations that written filler words (start, end)
    account for: the most pairs, in time order, each within `within` s, then the least total
    distance. (tiny.en writes an "uh" up to 0.7 s off, at the next word, so the nearest
    hesitation is not always its own.)"""
    n, m = len(written), len(heard)
    # best[i][j]: (pairs, -distance) aligning written[:i] with heard[:j]
    best = [[(0, 0.0)] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            options = [best[i - 1][j], best[i][j - 1]]
            d = _distance(heard[j - 1], *written[i - 1])
            if d <= within:
                pairs, neg = best[i - 1][j - 1]
                options.append((pairs + 1, neg - d))
            best[i][j] = max(options)
    out: dict[int, int] = {}
    i, j = n, m
    while i and j:
        if best[i][j] == best[i - 1][j]:
            i -= 1
        elif best[i][j] == best[i][j - 1]:
            j -= 1
        else:
            out[j - 1] = i - 1
            i, j = i - 1, j - 1
    return out


def _distance(h: Hesitation, start: float, end: float) -> float:
    return max(0.0, h.start - end, start - h.end)


def _inside_busy_word(h: Hesitation, words) -> bool:
    """The stretch lies within one transcribed word that has no time to spare for it (not
    longer than SECONDS_PER_LETTER x its letters): the held vowel is that word's own, as in
    "problem" ([-ləm] sounds like "um"). A word stretched over a dropped "um" is longer."""
    for w in words:
        if min(h.end, w.end) - max(h.start, w.start) >= 0.9 * (h.end - h.start):
            letters = sum(ch.isalpha() for ch in w.text)
            return w.end - w.start <= SECONDS_PER_LETTER * max(2, letters)
    return False


def hesitations(audio: np.ndarray) -> tuple[Hesitation, ...]:
    """Every hesitation heard in the audio, transcribed or not."""
    found = merge([s for s in steady_stretches(audio) if s.is_hesitation])
    return tuple(Hesitation(round(s.start, 2), round(s.end, 2), "um" if s.nasal else "uh") for s in found)


def merge(stretches: list[Stretch], gap_s: float = MERGE_S) -> list[Stretch]:
    """Join hesitation stretches less than `gap_s` apart (a vowel and its closing [m])."""
    out: list[Stretch] = []
    for s in sorted(stretches, key=lambda s: s.start):
        if out and s.start - out[-1].end < gap_s:
            last = out[-1]
            out[-1] = Stretch(
                last.start,
                max(last.end, s.end),
                max(last.change, s.change),
                max(last.f2, s.f2),
                max(last.pitch_range_st, s.pitch_range_st),
                last.nasal or s.nasal,
            )
        else:
            out.append(s)
    return out


def steady_stretches(audio: np.ndarray) -> list[Stretch]:
    """Every steady voiced stretch of 0.1 s or more, with its features."""
    frames = analyze(audio)
    voiced = frames.voiced
    if len(voiced) < 2 * _frames(CHANGE_SPAN_S) or voiced.sum() < _frames(MIN_RUN_S):
        return []
    change = spectral_change(frames.ceps[:, 1 : N_CEPS + 1])
    change = change / max(float(np.median(change[voiced])), 1e-6)
    pitch = smooth_median(np.log2(frames.f0), 2 * _frames(0.025) + 1)
    continuous = np.r_[True, np.abs(np.diff(pitch)) < PITCH_JUMP_OCT_PER_S * FRAME_S]
    steady = voiced & (change < STEADY_CHANGE) & continuous
    found = [(i, j) for i, j in runs(steady, _frames(GAP_S)) if j - i >= _frames(MIN_RUN_S)]
    if not found:
        return []
    high = smooth_median(frames.high_db, 3)
    out = []
    for i, j in found:
        tones = pitch[i:j][voiced[i:j]]
        close = nasal_close(high, voiced, i, j)
        out.append(
            Stretch(
                start=i * FRAME_S + WIN / RATE / 2,  # frame centres
                end=(close or j) * FRAME_S + WIN / RATE / 2,
                change=float(change[i:j].mean()),
                f2=float("nan"),  # measured below where it decides
                pitch_range_st=float(12 * (np.percentile(tones, 90) - np.percentile(tones, 10))),
                nasal=close is not None,
            )
        )
    # Formants of the frames of the stretches that the rest already calls hesitations, and of up
    # to REFERENCE_FRAMES voiced frames for the speaker's median (about the centre of their vowel
    # space), in one batch.
    wanted = [k for k, s in enumerate(out) if replace(s, f2=0.0).is_hesitation]
    if not wanted:
        return out
    reference = np.flatnonzero(voiced)
    reference = reference[:: max(1, len(reference) // REFERENCE_FRAMES)]
    inside = [np.flatnonzero(voiced[i:j]) + i for i, j in (found[k] for k in wanted)]
    _, f2 = formants(frames.ceps[np.concatenate([reference, *inside])])
    f2_ref = _median_positive(f2[: len(reference)])
    at = len(reference)
    for k, frames_in in zip(wanted, inside, strict=True):
        value = _median_positive(f2[at : at + len(frames_in)])
        at += len(frames_in)
        out[k] = replace(out[k], f2=value / f2_ref if value and f2_ref else float("inf"))
    return out


def nasal_close(high_db: np.ndarray, voiced: np.ndarray, i: int, j: int) -> int | None:
    """End frame of a nasal murmur closing the vowel in frames [i, j): at least 40 ms of voiced
    frames, starting within 50 ms of the vowel's end, whose energy above 1 kHz (relative to
    below, `high_db`) is NASAL_DROP_DB under the vowel's; None if there is none."""
    level = float(np.median(high_db[i:j]))
    low = voiced & (high_db <= level - NASAL_DROP_DB)
    k = max(i + (j - i) // 2, j - _frames(0.05))
    while k < min(len(low), j + _frames(0.05)) and not low[k]:
        k += 1
    end = k
    while end < min(len(low), j + _frames(0.4)) and low[end]:
        end += 1
    return end if end - k >= _frames(0.04) else None


# --- acoustics -----------------------------------------------------------------------------


@dataclass
class Frames:
    energy_db: np.ndarray  # per 10 ms frame
    periodicity: np.ndarray  # normalized autocorrelation at the pitch lag (0..1)
    f0: np.ndarray  # Hz (meaningful where periodic)
    ceps: np.ndarray  # (frames, ENVELOPE_CEPS + 1) log-spectrum cepstrum c0..c20
    high_db: np.ndarray  # energy above 1 kHz minus energy below, dB
    top_db: float  # the loud frames' level (95th percentile)

    @property
    def voiced(self) -> np.ndarray:
        return (self.periodicity >= VOICED_PERIODICITY) & (self.energy_db > self.top_db - VOICED_BELOW_TOP_DB)


def analyze(audio: np.ndarray) -> Frames:
    """Per-frame features of 16 kHz audio; only frames within 35 dB of the loud ones are
    analysed beyond their energy."""
    import soxr

    x = soxr.resample(np.asarray(audio, np.float32), SAMPLE_RATE, RATE).astype(np.float32)
    n = 1 + (len(x) - WIN) // HOP if len(x) >= WIN else 0
    energy = np.full(n, -100.0, np.float32)
    periodicity = np.zeros(n, np.float32)
    f0 = np.full(n, 100.0, np.float32)
    ceps = np.zeros((n, ENVELOPE_CEPS + 1), np.float32)
    high = np.zeros(n, np.float32)
    if n == 0:
        return Frames(energy, periodicity, f0, ceps, high, 0.0)
    blocks = x[: (len(x) // HOP) * HOP].reshape(-1, HOP)
    block_power = np.convolve((blocks**2).mean(1), np.ones(WIN // HOP) / (WIN // HOP), "valid")[:n]
    energy[: len(block_power)] = 10 * np.log10(block_power + 1e-10)
    top = float(np.percentile(energy, 95))
    live = np.flatnonzero(energy > top - VOICED_BELOW_TOP_DB - 5)
    if len(live):
        seg = x[(live * HOP)[:, None] + np.arange(WIN)[None, :]]
        seg = seg - seg.mean(1, keepdims=True)
        spec = np.fft.rfft(seg * _WINDOW, NFFT)
        power = spec.real**2 + spec.imag**2
        periodicity[live], f0[live] = _pitch(power)
        ceps[live] = np.fft.irfft(np.log(power + 1e-8), NFFT)[:, : ENVELOPE_CEPS + 1]
        low = power[:, 1:_BIN_1K].sum(1) + 1e-10
        high[live] = 10 * np.log10(power[:, _BIN_1K:].sum(1) + 1e-10) - 10 * np.log10(low)
    return Frames(energy, periodicity, f0, ceps, high, top)


_WINDOW = np.hanning(WIN).astype(np.float32)
_WINDOW_AC = np.fft.irfft(np.abs(np.fft.rfft(_WINDOW, NFFT)) ** 2, NFFT)[:WIN]
_WINDOW_AC = (_WINDOW_AC / _WINDOW_AC[0]).astype(np.float32)
_BIN_1K = int(1000 * NFFT / RATE)
_OMEGA = np.linspace(0, np.pi, NFFT // 2 + 1)
_PRE_EMPHASIS = (1 + 0.63**2 - 2 * 0.63 * np.cos(_OMEGA)).astype(np.float32)


def _pitch(power: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Periodicity and f0 from the autocorrelation (window-corrected), preferring half the lag
    when it is nearly as periodic (the usual octave-down error)."""
    lo, hi = int(RATE / F0_RANGE[1]), int(RATE / F0_RANGE[0])
    ac = np.fft.irfft(power, NFFT)[:, : hi + 1]
    norm = ac[:, lo : hi + 1] / (ac[:, :1] + 1e-10) / (_WINDOW_AC[lo : hi + 1] + 1e-3)
    rows = np.arange(len(norm))
    k = norm.argmax(1)
    for _ in range(2):
        best = norm[rows, k]
        half = (k + lo) // 2 - lo
        value = np.full(len(k), -1.0, np.float32)
        lag = k.copy()
        for d in (-1, 0, 1):
            cand = np.clip(half + d, 0, norm.shape[1] - 1)
            v = np.where(half + d >= 0, norm[rows, cand], -1.0)
            better = v > value
            value, lag = np.where(better, v, value), np.where(better, cand, lag)
        k = np.where(value >= 0.85 * best, lag, k)
    return np.clip(norm[rows, k], 0, 1), RATE / (k + lo)


def formants(ceps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """F1 and F2 (Hz) of frames given their cepstra c0..c20: an LPC fit (order LPC_ORDER,
    pre-emphasized) to the cepstrally smoothed spectrum, so a high voice's harmonics are not
    taken for resonances; 0 where fewer than two resonances are found."""
    if not len(ceps):
        return np.zeros(0), np.zeros(0)
    log_envelope = ceps.astype(np.float64) @ _COSINES  # natural log of the power envelope
    envelope = np.exp(log_envelope - log_envelope.max(1, keepdims=True)) * _PRE_EMPHASIS
    r = envelope @ _AUTOCORR
    a = levinson(r, LPC_ORDER)
    companion = np.zeros((len(a), LPC_ORDER, LPC_ORDER))
    companion[:, 0, :] = -a[:, 1:]
    companion[:, np.arange(1, LPC_ORDER), np.arange(LPC_ORDER - 1)] = 1.0
    roots = np.linalg.eigvals(companion)
    freq = np.angle(roots) * RATE / (2 * np.pi)
    bandwidth = -np.log(np.abs(roots) + 1e-12) * RATE / np.pi
    ok = (np.imag(roots) > 0) & (freq > 150) & (bandwidth < 600)
    freq = np.sort(np.where(ok, freq, np.inf), axis=1)
    f1, f2 = freq[:, 0], freq[:, 1]
    found = np.isfinite(f2)
    return np.where(found, f1, 0.0), np.where(found, f2, 0.0)


_N = np.arange(ENVELOPE_CEPS + 1)
_COSINES = np.where(_N[:, None] == 0, 1.0, 2.0) * np.cos(_N[:, None] * _OMEGA[None, :])
_BIN_WEIGHT = np.where((np.arange(len(_OMEGA)) == 0) | (np.arange(len(_OMEGA)) == len(_OMEGA) - 1), 1.0, 2.0)
_AUTOCORR = _BIN_WEIGHT[:, None] * np.cos(_OMEGA[:, None] * np.arange(LPC_ORDER + 1)[None, :])


def levinson(r: np.ndarray, order: int) -> np.ndarray:
    """LPC coefficients (rows: 1, a1..a_order) from autocorrelations r[:, 0..order]."""
    n = len(r)
    a = np.zeros((n, order + 1))
    a[:, 0] = 1.0
    err = r[:, 0].copy() + 1e-9
    for i in range(1, order + 1):
        k = -(r[:, i] + (a[:, 1:i] * r[:, i - 1 : 0 : -1]).sum(1)) / err
        a[:, 1 : i + 1] = a[:, 1 : i + 1] + k[:, None] * a[:, i - 1 :: -1][:, :i]
        err = err * (1 - k * k) + 1e-12
    return a


def spectral_change(ceps: np.ndarray) -> np.ndarray:
    """Distance between the envelopes CHANGE_SPAN_S apart, centred, smoothed over as long."""
    span = _frames(CHANGE_SPAN_S)
    change = np.zeros(len(ceps), np.float32)
    if len(ceps) > span:
        change[span // 2 : len(ceps) - span + span // 2] = np.sqrt(((ceps[span:] - ceps[:-span]) ** 2).sum(1))
    return np.convolve(change, np.ones(span) / span, "same").astype(np.float32)


def smooth_median(x: np.ndarray, width: int) -> np.ndarray:
    pad = width // 2
    padded = np.pad(x, pad, mode="edge")
    return np.median(np.lib.stride_tricks.sliding_window_view(padded, width), axis=1)


def runs(mask: np.ndarray, gap: int = 0) -> list[tuple[int, int]]:
    """(first, end) index pairs of the runs of True, bridging gaps of up to `gap` False."""
    idx = np.flatnonzero(mask)
    if not len(idx):
        return []
    breaks = np.flatnonzero(np.diff(idx) > gap + 1)
    starts = np.r_[idx[0], idx[breaks + 1]]
    ends = np.r_[idx[breaks] + 1, idx[-1] + 1]
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def _frames(seconds: float) -> int:
    return max(1, int(seconds / FRAME_S + 0.5))


def _median_positive(values: np.ndarray) -> float:
    values = values[values > 0]
    return float(np.median(values)) if len(values) else 0.0
