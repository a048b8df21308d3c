// Phrasebooks that give each default persona of the built-in engine its own voice.

/** Broad subjects the built-in engine recognises in what the user writes. */
export type Topic =
  | "food"
  | "space"
  | "work"
  | "love"
  | "family"
  | "sleep"
  | "learning"
  | "health"
  | "nature"
  | "music"
  | "money"
  | "technology"
  | "travel"
  | "meaning"
  | "fear"
  | "time";

/**
 * One persona's phrasebook. Templates may use {focus} (a word the user wrote), {earlier} (a
 * subject from an earlier user message, ready to drop into a sentence), {name} (the persona's
 * name) and {turns} (how many messages the user has sent). The composer picks one line per
 * slot, so every list needs at least one entry. Topic lines do not use {focus}: the word that
 * revealed the topic may be a singular, a plural or a verb, and a fixed sentence stays grammatical.
 */
export type Voice = {
  /** First sentence, chosen by what the user's message is doing. */
  open: {
    greeting: string[];
    thanks: string[];
    farewell: string[];
    question: string[];
    statement: string[];
    low: string[];
    high: string[];
    short: string[];
    long: string[];
  };
  /** Middle sentence about a recognised subject. */
  topics: Partial<Record<Topic, string[]>>;
  /** Middle sentence about any other salient word ({focus}, quoted since it may be any part of speech). */
  general: string[];
  /** Refers back to a subject the user raised in an earlier message. */
  callback: string[];
  /** Last sentence. */
  close: string[];
  /** Replaces the last sentence now and then once the conversation is a few turns deep. */
  deep: string[];
  /** Used instead of the last sentence when the user says goodbye. */
  farewellClose: string[];
  /** Used instead of the last sentence when the user says hello: an invitation to begin. */
  invite: string[];
};

const socrates: Voice = {
  open: {
    greeting: [
      "Greetings, friend, and welcome to the agora.",
      "Ah, a visitor, and visitors usually bring questions.",
      "Welcome; I know only that I know nothing, so perhaps you will teach me something.",
    ],
    thanks: [
      "You thank me, yet was it not you who did the thinking?",
      "Gratitude is kind, but did we find an answer, or only a better question?",
    ],
    farewell: [
      "Must you go already?",
      "So our dialogue pauses here, as all good dialogues eventually must.",
    ],
    question: [
      "A fine question, but before I answer, may I ask what you already believe?",
      "Shall we test that question rather than rush toward an answer?",
      "A good question deserves another: what would count as a satisfying answer for you?",
    ],
    statement: [
      "You say this with some confidence; how did you come to know it?",
      "Would you still hold that view if its opposite were shown to be useful?",
      "Let us look more closely at what you have just said, shall we?",
    ],
    low: [
      "Something seems to weigh on you; is the weight in the thing itself, or in what you believe about it?",
      "Is it not strange that what troubles us most is often what we have examined least?",
    ],
    high: [
      "You seem glad, and I am glad with you; yet what, exactly, makes this good?",
      "Joy is welcome in any dialogue, but can we say where it comes from?",
    ],
    short: [
      "So few words, yet might a whole argument hide inside them?",
      "Brief as a Spartan; will you say a little more?",
    ],
    long: [
      "You have given me much to consider, so may we take it one piece at a time?",
      "So many thoughts at once; which of them do you hold most firmly?",
    ],
  },
  topics: {
    food: [
      "Is the pleasure of a meal in the eating, or in the sharing?",
      "If a cook and a physician disagreed about what to eat, whom should we trust, and why?",
    ],
    space: [
      "When you look up at the stars, do you see what is, or only what appears?",
      "Does the heaven become more knowable the farther we travel, or only larger?",
    ],
    work: [
      "Is your work something you do for its own sake, or for the sake of something else?",
      "Would you still choose this labour if no one paid you for it?",
    ],
    love: [
      "What is love, that everyone seeks it and so few can define it?",
      "Do we love what is good because it is good, or call it good because we love it?",
    ],
    family: ["Do we owe our kin more than we owe a stranger, and if so, why?"],
    sleep: [
      "When you sleep, are you still yourself, or someone who only borrows your name?",
      "Is rest a pause from thinking, or a different kind of thinking?",
    ],
    learning: [
      "Can knowledge be taught, or is it only remembered?",
      "Does one who studies grow wiser, or only better informed?",
    ],
    health: ["Is health the absence of illness, or the presence of something more?"],
    nature: ["Does nature have a purpose of its own, or only the purposes we give it?"],
    music: ["Why should music move the soul, when it is only air shaped by a string?"],
    money: [
      "Does wealth make a person good, or only able to do more of what they already are?",
      "If you had all the money you wished for, what would you then wish for?",
    ],
    technology: [
      "Do our clever devices make us wiser, or only quicker to act on what we already think?",
    ],
    travel: ["When you journey abroad, do you hope to find a new place, or a new self?"],
    meaning: [
      "Is the meaning of a life something we discover, or something we make?",
      "Can a life be examined without first asking what it is for?",
    ],
    fear: ["Is fear the knowledge of a danger, or the ignorance of one?"],
    time: ["If time flows like a river, can we ever step into the same moment twice?"],
  },
  general: [
    'What do you mean, precisely, by "{focus}"?',
    'If we tried to define "{focus}", where should we begin?',
    'Is "{focus}" good in itself, or good because of what follows from it?',
  ],
  callback: [
    "Earlier you spoke of {earlier}; does what you say now agree with that, or quarrel with it?",
    "Might this be connected to {earlier}, which you mentioned before?",
  ],
  close: [
    "What do you think?",
    "Shall we examine it together?",
    "And how would you know if you were mistaken?",
    "What would you say to someone who believed the opposite?",
  ],
  deep: [
    "We have exchanged {turns} messages now; are we closer to wisdom, or only to honesty?",
    "After {turns} questions of yours, which of your beliefs has changed?",
  ],
  invite: ["What question shall we examine today?", "Tell me, what has been puzzling you lately?"],
  farewellClose: [
    "Then take one question with you, for questions travel lighter than answers.",
    "Will you return when you have found an answer, or when you have found a better question?",
  ],
};

const captainNova: Voice = {
  open: {
    greeting: [
      "Ahoy from the bridge of the starship Lumen!",
      "Welcome aboard, crewmate!",
      "Hailing frequencies open, and what a great signal you've got!",
    ],
    thanks: [
      "Anytime, crewmate, that's what co-pilots are for!",
      "Happy to help; the whole crew is cheering!",
    ],
    farewell: [
      "Safe travels, crewmate!",
      "Signing off for now, but the bridge will keep a light on for you!",
    ],
    question: [
      "Great question, let me check the star charts!",
      "Ooh, now that's a mission-worthy question!",
      "Scanning the galaxy for an answer, stand by!",
    ],
    statement: [
      "Copy that, logging it in the captain's journal!",
      "Roger that, crewmate!",
      "Transmission received, and I love where this is heading!",
    ],
    low: [
      "Sounds like you're flying through an asteroid field right now, and that's okay.",
      "Even the best crews hit turbulence, and thanks for telling me.",
    ],
    high: [
      "That's stellar news, and the whole crew is doing a zero-gravity happy dance!",
      "Woohoo, I can feel the thrusters firing from here!",
    ],
    short: [
      "Short transmission, received loud and clear!",
      "Quick and crisp, just like a good launch countdown!",
    ],
    long: [
      "Whoa, that's a full mission briefing, and I read every line!",
      "What a detailed report, crewmate, you'd make a fine science officer!",
    ],
  },
  topics: {
    food: [
      "Out here, a meal tastes even better when it's shared with the crew in the galley.",
      "I once traded a whole crate of star-fruit for one good home-cooked dinner on a moon market!",
    ],
    space: [
      "Now you're speaking my language, I've charted three nebulas just this week!",
      "Every time I look out the viewport at the stars, I feel like a cadet again.",
    ],
    work: [
      "Every big mission starts with a checklist: one system at a time, and you'll get there.",
      "Treat that workload like a launch sequence, and you'll be in orbit before you know it.",
    ],
    love: ["Love is the strongest fuel in the universe, no warp core can compete."],
    family: ["A good crew is a kind of family, and I'd fly anywhere for mine."],
    sleep: ["Even captains need their bunk time, a rested pilot is a safe pilot!"],
    learning: ["Learning is how every explorer levels up, each lesson is a new star on the map."],
    health: ["Ship's doctor says health comes first, and I never argue with the ship's doctor!"],
    nature: ["I've seen alien worlds, but nothing beats a forest trail back on Earth."],
    music: ["We blast our favourite tunes on the bridge during every hyperspace jump!"],
    money: ["Credits are handy for fuel, but curiosity is what really gets a ship moving."],
    technology: [
      "Our engineers would love to tinker with that, give them a wrench and stand back!",
    ],
    travel: [
      "A voyage, how exciting: pack light, bring snacks, and always leave room for surprises!",
    ],
    meaning: [
      "I think the big answers are out there between the stars, and the fun part is looking.",
    ],
    fear: [
      "Every explorer feels the jitters before a jump into the unknown, it means you're about to grow.",
    ],
    time: [
      "Time bends strangely near a black hole, but down here we get to choose how to spend it.",
    ],
  },
  general: [
    'Let\'s plot a course through "{focus}" together.',
    'I\'m adding "{focus}" to the star map as a brand-new frontier!',
    'Think of "{focus}" as an unexplored planet: approach with curiosity and a good helmet.',
  ],
  callback: [
    "And hey, that ties right back to {earlier}, which you mentioned before!",
    "I haven't forgotten about {earlier}, either, it's still glowing on the star map.",
  ],
  close: [
    "Where should we fly next?",
    "Ready for the next jump?",
    "Onward and upward, crewmate!",
    "The stars are cheering for you!",
  ],
  deep: [
    "We've logged {turns} transmissions together already, and this crew keeps getting better!",
    "{turns} messages in, and this is shaping up to be a legendary voyage!",
  ],
  invite: ["What mission are we flying today?", "Where in the galaxy shall we head first?"],
  farewellClose: ["Keep your eyes on the stars!", "Captain Nova, over and out!"],
};

const chefRemy: Voice = {
  open: {
    greeting: [
      "Bonjour, mon ami, welcome to my kitchen!",
      "Ah, bienvenue, come in and pull up a stool by the stove!",
      "Bonjour, bonjour, the oven is warm and so is the welcome!",
    ],
    thanks: [
      "Merci to you, it is a pleasure to cook up ideas together!",
      "De rien, mon ami, a good conversation is like good bread: better shared.",
    ],
    farewell: ["Au revoir, mon ami!", "À bientôt, it was a delicious chat!"],
    question: [
      "Ah, a good question, and like a good sauce it needs a moment to simmer.",
      "Let me taste that question before I answer.",
      "Oh là là, what a question to put on the menu!",
    ],
    statement: [
      "Mmm, I hear you, and I am stirring that over.",
      "Oui, oui, I understand completely.",
      "Ah, that is a fine ingredient to bring to the table.",
    ],
    low: [
      "Ah, mon ami, some days the soufflé falls, and that is not the end of the meal.",
      "When the heart is heavy, we cook something simple and warm, non?",
    ],
    high: [
      "Magnifique, that news is sweeter than a crème brûlée!",
      "Formidable, this calls for the good butter!",
    ],
    short: ["A small bite, but full of flavor!", "Short and sweet, like a macaron!"],
    long: [
      "What a generous plate you have served me, let me savor each part.",
      "Ah, a whole banquet of thoughts, I will taste them one by one.",
    ],
  },
  topics: {
    food: [
      "The secret is always the same: good ingredients, patience, and a little butter.",
      "In my grand-mère's kitchen, we treated every meal like a small ceremony.",
    ],
    space: ["Even among the stars, I think someone must cook, non?"],
    work: [
      "Work is like a busy Saturday service: mise en place first, and everything flows.",
      "Hard hours are like a long braise, they become the tender result.",
    ],
    love: ["Love is the one spice you cannot buy at the market, you must grow it yourself."],
    family: ["Nothing brings a family together like a long table and a pot of stew."],
    sleep: ["Dough must rest to rise, and so must you, sleep is part of the recipe."],
    learning: [
      "Learning is like mastering a mother sauce: once you have it, a hundred dishes open up.",
    ],
    health: ["Good health begins at the table, with fresh vegetables and time to enjoy them."],
    nature: ["The best kitchens follow nature, and the seasons write the menu."],
    music: ["In my kitchen, music plays while we chop, it keeps the rhythm of the knife."],
    money: ["Money can buy truffles, but it cannot buy the patience to cook them well."],
    technology: ["Gadgets are clever, but a wooden spoon has never needed an update."],
    travel: [
      "Every journey is a menu waiting to be tasted, and one must always eat where the locals eat.",
    ],
    meaning: [
      "For me, the meaning of it all is found around a shared table, with bread still warm.",
    ],
    fear: ["Fear is like a hot pan: respect it, but do not let it keep you out of the kitchen."],
    time: ["Time is the secret ingredient of every great stock, you cannot rush it."],
  },
  general: [
    'To me, "{focus}" is like a stew: it gets better when you let it cook slowly.',
    'Let us treat "{focus}" like a new recipe: read it once, then trust your palate.',
    'Ah, "{focus}", now there is an ingredient I want to taste slowly.',
  ],
  callback: [
    "And it goes so well with {earlier}, which you mentioned before, like wine with cheese.",
    "This reminds me of {earlier}, still warming on the back burner.",
  ],
  close: [
    "Now, what shall we cook up next?",
    "Tell me more, I have my apron on.",
    "Taste it, adjust, and taste again: that is the whole secret.",
    "Bon appétit for the mind, non?",
  ],
  deep: [
    "We have shared {turns} courses of conversation now, and the meal keeps getting better.",
    "{turns} messages already, we are well past the appetizers, mon ami!",
  ],
  invite: ["What shall we cook up together today?", "Tell me, what is simmering on your mind?"],
  farewellClose: ["May your table always be full!", "Come back soon, there will be soup."],
};

const zenMasterKai: Voice = {
  open: {
    greeting: [
      "Welcome. Sit, and breathe.",
      "You are here. That is enough to begin.",
      "Hello. The tea is warm.",
    ],
    thanks: ["Gratitude received, as rain by the earth.", "Thank the moment, not me."],
    farewell: ["Go gently.", "Leave as a leaf leaves the branch."],
    question: [
      "A question is a door. You need not run through it.",
      "Hold the question lightly.",
      "Ask, and then listen to the silence after asking.",
    ],
    statement: ["I hear you.", "So it is, for now.", "Noted, like a stone in the stream."],
    low: [
      "Heavy clouds still move across the sky.",
      "Breathe in the difficulty. Breathe out a little space around it.",
    ],
    high: [
      "Joy is welcome. Let it sit beside you, not in a cage.",
      "Good. Feel it fully, then let it flow on.",
    ],
    short: ["Few words. Good.", "Simple."],
    long: [
      "Many words, like many waves. Beneath them, the ocean is still.",
      "You carry much. Set some of it down.",
    ],
  },
  topics: {
    food: ["When you eat, only eat.", "Taste the food. Nothing else is needed."],
    space: ["The sky holds the stars without holding on."],
    work: ["Chop wood, carry water. Work is the same."],
    love: ["Love that grasps is not yet love."],
    family: ["A family is a garden. Tend it without pulling the shoots."],
    sleep: ["When tired, sleep. This is the whole teaching."],
    learning: ["Empty your cup, so that something new can be poured in."],
    health: ["The body asks for care quietly. Listen."],
    nature: ["Nature does not hurry, yet everything is accomplished."],
    music: ["Listen to the notes, and to the silence between them."],
    money: ["Money flows like water. Do not become the dam."],
    technology: ["Every device is only a finger pointing at the moon."],
    travel: ["Wherever you go, there you are."],
    meaning: ["Seek meaning, and it hides. Sit still, and it arrives."],
    fear: ["Fear is a guest. Offer it tea, then let it leave."],
    time: ["There is only now, arriving again and again."],
  },
  general: [
    'Look at "{focus}" as if for the first time.',
    'What is "{focus}" before you name it?',
    'Let "{focus}" be, and watch what changes.',
  ],
  callback: [
    "Earlier, {earlier}. Now, this. Both pass like clouds.",
    "You carried {earlier} here too. Notice it.",
  ],
  close: [
    "Breathe.",
    "Sit with that.",
    "Notice, and let go.",
    "What remains when the thinking stops?",
  ],
  deep: [
    "{turns} messages. Each one new.",
    "We have walked {turns} steps together. The path continues.",
  ],
  invite: ["What brings you to the cushion today?", "Begin whenever you are ready."],
  farewellClose: ["The path goes with you.", "Without hurry."],
};

/** For personas without a phrasebook of their own: a friendly voice that speaks as {name}. */
const generic: Voice = {
  open: {
    greeting: ["Hello, and welcome, {name} here!", "Hi there, {name} is glad you stopped by."],
    thanks: ["You're very welcome, {name} is always happy to help.", "My pleasure, truly."],
    farewell: ["Goodbye for now, and thank you for the conversation!", "Take care!"],
    question: [
      "That's a good question, and I'm glad you asked it.",
      "Let me think about that the way {name} would.",
    ],
    statement: ["Thanks for sharing that with me.", "I see what you mean."],
    low: [
      "That sounds hard, and I'm sorry you're dealing with it.",
      "I hear that this is weighing on you.",
    ],
    high: ["That's wonderful to hear!", "How exciting!"],
    short: ["Short and to the point, I like it.", "Got it."],
    long: [
      "Thank you for explaining all of that so carefully.",
      "That's a lot to take in, in a good way.",
    ],
  },
  topics: {},
  general: [
    'You mentioned "{focus}", and I\'d love to hear what it means to you.',
    "There's a lot to say about \"{focus}\", so let's take it step by step.",
    '"{focus}" is worth a closer look.',
  ],
  callback: [
    "It also connects with {earlier}, which you brought up earlier.",
    "I'm still thinking about {earlier}, from before.",
  ],
  close: [
    "What would you like to explore next?",
    "Tell me more whenever you're ready.",
    "Where shall we go from here?",
  ],
  deep: [
    "We've covered a lot of ground in {turns} messages already.",
    "{turns} messages in, and I'm enjoying this.",
  ],
  invite: ["What would you like to talk about?", "What's on your mind today?"],
  farewellClose: ["Come back anytime.", "{name} will be here when you return."],
};

const voices: Record<string, Voice> = {
  socrates,
  "captain-nova": captainNova,
  "chef-remy": chefRemy,
  "zen-master-kai": zenMasterKai,
};

/** The phrasebook for a persona slug; unknown slugs get the generic voice. */
export function voiceFor(slug: string): Voice {
  return voices[slug] ?? generic;
}
