// Error messages quote untrusted text; what reaches a terminal is one line of printable UTF-8.
#include <gtest/gtest.h>

#include "foundation/TerminalText.h"

using stdp::terminalSafe;

TEST(TerminalText, KeepsPrintableUtf8) {
    EXPECT_EQ(terminalSafe("model.json: 'mu' é ü 日本 🙂"),
              "model.json: 'mu' é ü 日本 🙂");
}

TEST(TerminalText, EscapesControlCharacters) {
    EXPECT_EQ(terminalSafe("a\x1b[2Jb\nc\td\x7f"), "a\\x1b[2Jb\\x0ac\\x09d\\x7f");
    EXPECT_EQ(terminalSafe(std::string_view("a\0b", 3)), "a\\x00b");
}

TEST(TerminalText, EscapesIllFormedUtf8ByteByByte) {
    EXPECT_EQ(terminalSafe("settings\xa2"), "settings\\xa2");
    EXPECT_EQ(terminalSafe("\xc3"), "\\xc3");                             // cut short
    EXPECT_EQ(terminalSafe("\xc0\xaf"), "\\xc0\\xaf");                    // overlong '/'
    EXPECT_EQ(terminalSafe("\xed\xa0\x80"), "\\xed\\xa0\\x80");           // a surrogate
    EXPECT_EQ(terminalSafe("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // past U+10FFFF
    EXPECT_EQ(terminalSafe("\xff"
                           "ok"),
              "\\xffok");
}
