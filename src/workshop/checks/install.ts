/**
 * Puts a learner's function in place of one method of a reference class, in a subclass, so the checks
 * (and later notebooks) run the reference component with exactly one part replaced by the learner's.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyClass = abstract new (...args: any[]) => object;

export function withMethod<C extends AnyClass>(base: C, method: string, impl: unknown): C {
  abstract class WithLearnerMethod extends base {}
  Object.defineProperty(WithLearnerMethod.prototype, method, { value: impl, writable: true, configurable: true });
  Object.defineProperty(WithLearnerMethod, 'name', { value: `${base.name}With_${method}` });
  return WithLearnerMethod as unknown as C;
}
