"""Speech to words and words to speech: the transcript model, faster-whisper (whole-file and
streaming), acoustic filler detection and the piper voice.
"""
