// Hand-written (not generated): users of the codecs also get the SBE runtime (SBEError, SBEWire...).
@_exported import SBE
