/** Test doubles for chat adapters and the apps built on them. */
export {
  FakeChatAdapter,
  type BudgetViolation,
  type FakeCall,
  type FakeCallKind,
  type FakeChatAdapterOptions,
  type FakeMessage,
  type FakeMessageVersion,
} from './testing/FakeChatAdapter.js';
