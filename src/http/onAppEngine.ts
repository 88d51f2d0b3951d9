/**
 * Running on App Engine (standard or flexible), whose front end strips `X-Appengine-Cron` from
 * outside requests, so the header proves the call came from App Engine's cron. Nowhere else (Cloud
 * Run, a VM) is that true: there the tick needs its bearer secret.
 */
export const onAppEngine = (env: NodeJS.ProcessEnv): boolean =>
  Boolean(env.GAE_SERVICE && env.GAE_INSTANCE);
