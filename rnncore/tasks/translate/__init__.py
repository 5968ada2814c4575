"""Translation (many-to-many, T_x != T_y): English <-> French encoder-decoders trained on Tatoeba pairs.

``data`` reads and splits the pairs (by English sentence), tokenizes both languages and builds the
vocabularies; ``baseline`` is the word-by-word translation learnt from the same pairs (IBM model 1);
``metrics`` scores corpus BLEU and chrF with sacrebleu, also by source length; ``recipe`` trains and
scores the shipped models; ``inference`` translates a text with them (greedy or beam search). The model
itself is the shared :class:`rnncore.seq2seq.EncoderDecoder`.
"""
