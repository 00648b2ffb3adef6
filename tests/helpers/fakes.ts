export { RecordingBroadcaster, FixedFeeEstimator, fakeHeader } from '../../src/workshop/fakes.js';
