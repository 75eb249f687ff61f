"""The source documents of the library, by the file names they have in ``shared/seeds``."""

from __future__ import annotations

#: Dicer, "Softmax function" (2021): softmax, sigmoid, cross-entropy, the Jacobian matrix.
DOC_000 = "000_ac5da2e244b2ede3.txt"
#: "Derivation and Gradient Calculation of the Softmax Function": steps 1 to 6.
DOC_001 = "001_ccba0cf6b54a8e8e.txt"
#: "Derivative of Softmax under Cross Entropy Error" (its equations are lost; the words remain).
DOC_002 = "002_abebda4e44f250f1.txt"
#: "Softmax Function and Cross Entropy Loss" (2020): the derivative and a worked example.
DOC_003 = "003_c292ca0000e5e039.txt"
#: wuliytTaotao, softmax regression: softmax and cross-entropy derived together (in Chinese).
DOC_004 = "004_aa44666a62de2a5c.txt"
