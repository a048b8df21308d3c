// What a reply is spoken as: markdown reduced to words, and a long reply cut after its last whole
// sentence within the limit (or its last whole word, for one endless sentence).

import { describe, expect, it } from "vitest";
import { plainSpeech, speechText } from "@/lib/voice/speech-text";

describe("speechText", () => {
  it("speaks the words, not the markdown", () => {
    expect(
      plainSpeech(
        "# Recipe\n\n**Voilà**, mon ami! Take *two* eggs:\n- whisk them\n- add `salt`\n\n```js\ncode()\n```\nSee [my notes](https://example.com) or https://example.com/x.",
      ),
    ).toBe("Recipe Voilà, mon ami! Take two eggs: whisk them add salt See my notes or.");
  });

  it("keeps a reply within the limit as it is", () => {
    expect(speechText("Know thyself. Then ask again.", 100)).toEqual({
      text: "Know thyself. Then ask again.",
      truncated: false,
    });
  });

  it("cuts a longer reply after its last whole sentence within the limit", () => {
    const reply = "First sentence. Second one! Third? A fourth sentence that does not fit.";
    const cut = speechText(reply, 40);
    expect(cut).toEqual({ text: "First sentence. Second one! Third?", truncated: true });
    expect(cut.text.length).toBeLessThanOrEqual(40);
    // A quote closing the sentence stays with it.
    expect(speechText('He said "Go." Then he left for good.', 16).text).toBe('He said "Go."');
  });

  it("cuts one endless sentence at its last whole word, with an ellipsis", () => {
    const cut = speechText("word ".repeat(100), 23);
    expect(cut.truncated).toBe(true);
    expect(cut.text).toBe("word word word word…");
    expect(cut.text.length).toBeLessThanOrEqual(23);
  });

  it("an abbreviation-free number like 3.5 is not a sentence end", () => {
    expect(speechText("Bake for 3.5 hours at low heat. Then rest it.", 35).text).toBe(
      "Bake for 3.5 hours at low heat.",
    );
  });
});
