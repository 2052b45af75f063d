/**
 * Input and output names are declared once per action, in a contract object whose keys are
 * the camelCase names code uses and whose values are the kebab-case names of action.yml.
 * A test in each action checks the contract against action.yml both ways.
 */
export interface ActionContract<I extends string = string, O extends string = string> {
  /** The action's name as shown in failure messages, e.g. `canary`. */
  readonly name: string;
  readonly inputs: Readonly<Record<I, string>>;
  readonly outputs: Readonly<Record<O, string>>;
}

export function actionContract<const I extends string, const O extends string>(contract: ActionContract<I, O>): ActionContract<I, O> {
  return Object.freeze({
    name: contract.name,
    inputs: Object.freeze({ ...contract.inputs }),
    outputs: Object.freeze({ ...contract.outputs }),
  });
}
