/** What each backtest figure is, in words, for the page and the report section alike. */
export function scoreTerms(goal: string): { term: string; meaning: string }[] {
  return [
    {
      term: 'Model',
      meaning:
        "A variable-order Markov model: the user's last one to three steps, falling back to fewer when a context has too little history.",
    },
    {
      term: 'Overall rate',
      meaning: `Everyone gets the same chance, the share of training positions followed by ${goal}: the bar a model must clear.`,
    },
    {
      term: 'Current step only',
      meaning: 'The same model remembering just the latest step (a first-order chain).',
    },
    {
      term: 'Log loss, Brier score',
      meaning:
        'How far the predicted chances were from what happened (log loss punishes confident mistakes hardest); lower is better.',
    },
    {
      term: 'AUC',
      meaning: `The chance that a user who reached ${goal} was given a higher chance than one who did not: 0.5 is a coin toss, 1 is perfect ranking.`,
    },
    {
      term: 'Top guess right, in the top 3',
      meaning:
        'Of users who took another step, how often it was the likeliest next step, or among the three likeliest.',
    },
    {
      term: 'Lift in the top tenth',
      meaning: `How many times the overall rate reached ${goal} among the tenth of users given the highest chance: the gain from targeting them first.`,
    },
    {
      term: 'Calibration',
      meaning: `Users split into tenths by predicted chance: the mean predicted chance beside the share that did reach ${goal}. Close figures mean the chances can be taken at their word.`,
    },
  ];
}
