/** The deterministic Alice–Bob channel of `src/workshop/demo-channel.ts`, under the names the tests use. */
export {
  DEMO_TO_SELF_DELAY as TO_SELF_DELAY,
  DEMO_CHANNEL_VALUE_SAT as CHANNEL_VALUE_SAT,
  DEMO_FEERATE_PER_KW as FEERATE_PER_KW,
  DEMO_ALICE_DESTINATION as ALICE_DESTINATION,
  DEMO_FUNDING_OUTPUT as FUNDING_OUTPUT,
  demoAliceKeys as aliceKeys,
  demoBobKeys as bobKeys,
  demoChannelPair as makePair,
} from '../../src/workshop/demo-channel.js';
