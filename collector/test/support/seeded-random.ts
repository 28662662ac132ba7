/** The tests' seeded generator lives with core's test support, where core's own tests reach it too. */
export { seededRandom } from '../../../core/test/support/seeded-random';
