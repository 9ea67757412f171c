import type { MessageRenderer } from '../sending/send.service';
import { signSurveyToken } from './survey-token';

/** `https://care.example.com/s/<token>` for a survey. */
export const surveyUrl = (publicBaseUrl: string, secret: string, surveyId: string): string =>
  `${publicBaseUrl.replace(/\/+$/, '')}/s/${signSurveyToken(secret, surveyId)}`;

/**
 * A survey message stores only its survey's id (`data.survey.id`); the signed link is made here,
 * when the message is rendered for sending. So staging a survey inside an order's transaction
 * never needs APP_SECRET (on the single embedded connection, reading it there could wait for that
 * very transaction), and the link always carries the secret in force when it goes out.
 */
export function withSurveyLinks(render: MessageRenderer, deps: { appSecret: () => Promise<string>; publicBaseUrl: string }): MessageRenderer {
  return async (input) => {
    const survey = input.data.survey as { id?: unknown; url?: unknown } | undefined;
    if (typeof survey?.id !== 'string' || survey.url) return render(input);
    const url = surveyUrl(deps.publicBaseUrl, await deps.appSecret(), survey.id);
    return render({ ...input, data: { ...input.data, survey: { ...survey, url } } });
  };
}
