import { describe, expect, it } from 'vitest';
import { emailSummary } from '../../src/email/emailSummary.js';
import { emailTemplates } from '../../src/email/emailTemplates.js';
import type { PredictionContext } from '../../src/reports/sections/predictionSection.js';
import type { BuiltSection } from '../../src/reports/sections/sectionInput.js';

const row = (label: string, model: string, overall: string, firstOrder: string) => ({
  label,
  model,
  overall,
  firstOrder,
});
const context: PredictionContext = {
  goal: 'Purchase',
  horizonDays: '7',
  users: '126',
  activeFrom: '2026-10-25',
  cutoff: '2026-11-01',
  backtestWindow: 'fitted on 2026-09-27 to 2026-10-25, scored on 2026-10-25 to 2026-11-01',
  verdict: 'The model does not beat the overall rate.',
  beats: false,
  scores: [
    row('Users scored', '146', '146', '146'),
    row('Log loss (lower is better)', '0.1004', '0.1135', '0.0999'),
    row('Brier score (lower is better)', '0.0124', '0.0143', '0.0122'),
    row('AUC (higher is better)', '0.121', '0.500', '0.552'),
    row('Lift in the top tenth', '0.00', '1.00', '0.00'),
  ],
  terms: [{ term: 'AUC', meaning: 'ranking' }],
  calibration: [{ decile: 1, users: '15', predicted: '5.3%', observed: '6.7%' }],
};
const section: BuiltSection<PredictionContext> = {
  type: 'prediction',
  partial: 'prediction',
  title: 'Prediction',
  context,
};

describe('the Prediction section in an email', () => {
  const model = { inline: true, sections: [emailSummary(section)] };

  it('the text part has the verdict and the three probability scores beside both baselines', () => {
    const text = emailTemplates().text(model);
    expect(text).toContain(
      [
        '126 users active from 2026-10-25 to 2026-11-01 have a predicted chance of reaching Purchase within 7 days.',
        'The model does not beat the overall rate.',
        'Backtest (fitted on 2026-09-27 to 2026-10-25, scored on 2026-10-25 to 2026-11-01), model / overall rate / current step only:',
        '- Log loss (lower is better): 0.1004 / 0.1135 / 0.0999',
        '- Brier score (lower is better): 0.0124 / 0.0143 / 0.0122',
        '- AUC (higher is better): 0.121 / 0.500 / 0.552',
        'What each figure means, and the calibration by tenth, are in the full report.',
      ].join('\n'),
    );
    expect(text).not.toContain('Lift in the top tenth');
    expect(text).not.toContain('This section is in the full report.');
  });

  it('the HTML part has the same rows in a table', () => {
    const html = emailTemplates().html(model);
    const rows = [...html.matchAll(/<tr><td class="wrap">([^<]+)<\/td>/g)].map((m) => m[1]);
    expect(rows).toEqual([
      'Log loss (lower is better)',
      'Brier score (lower is better)',
      'AUC (higher is better)',
    ]);
    expect(html).toContain('<strong>The model does not beat the overall rate.</strong>');
  });
});
