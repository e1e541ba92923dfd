"""Sound in and out: audio files, device lookup, the recorder, the player and the voice-activity
detector. Adapters around soundfile, sounddevice and Silero.
"""
