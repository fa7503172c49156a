// Checks a response against docs/API_CONTRACT.yml: the path, method and
// status must be documented, the required headers present, and the JSON body
// valid against the documented schema. Runs in workerd and in Node.
import { Validator } from "@cfworker/json-schema";
import { parse } from "yaml";
import contractText from "../../docs/API_CONTRACT.yml?raw";

export const contract = parse(contractText);

function resolve(node) {
  while (node && node.$ref) {
    node = node.$ref
      .slice(2)
      .split("/")
      .map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"))
      .reduce((at, key) => at[key], contract);
  }
  return node;
}

const validators = new Map();
function validatorFor(schema) {
  const key = JSON.stringify(schema);
  if (!validators.has(key)) {
    // The whole document rides along so that "#/components/..." refs resolve.
    validators.set(key, new Validator({ ...contract, ...schema }, "2020-12", false));
  }
  return validators.get(key);
}

// The path's entry: the same path, else a templated one whose {parameter}
// stands for one segment (an exact path wins: "/session/end" is not an id).
function pathItemOf(path) {
  if (contract.paths[path]) return contract.paths[path];
  for (const [template, item] of Object.entries(contract.paths)) {
    if (!template.includes("{")) continue;
    const pattern = template.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^$()|[\]\\]/g, "\\$&")).join("[^/]+");
    if (new RegExp(`^${pattern}$`).test(path)) return item;
  }
  return undefined;
}

// Returns a list of problems (empty when the response conforms).
export function contractProblems(method, path, status, headers, bodyText) {
  const problems = [];
  const pathItem = pathItemOf(path);
  let spec;
  if (!pathItem) {
    spec = resolve(contract.components.responses.NotFound);
    if (status !== 404) problems.push(`undocumented path ${path} answered ${status}`);
  } else {
    const operation = pathItem[method.toLowerCase()];
    if (!operation) {
      spec = resolve(contract.components.responses.MethodNotAllowed);
      if (status !== 405) problems.push(`undocumented method ${method} ${path} answered ${status}`);
    } else {
      spec = resolve(operation.responses[String(status)]);
      if (!spec) problems.push(`${method} ${path}: status ${status} is not documented`);
    }
  }
  if (!spec) return problems;
  for (const [name, header] of Object.entries(spec.headers ?? {})) {
    const h = resolve(header);
    const value = headers.get(name);
    if (value === null) {
      if (h.required) problems.push(`missing header ${name}`);
      continue;
    }
    const result = validatorFor(h.schema).validate(value);
    if (!result.valid) problems.push(`header ${name}: ${JSON.stringify(result.errors.map((e) => e.error))}`);
  }
  const schema = spec.content?.["application/json"]?.schema;
  if (!schema && bodyText !== "") problems.push(`a ${status} has no body in the contract, got ${bodyText.slice(0, 40)}`);
  if (schema) {
    if (headers.get("content-type") !== "application/json") problems.push("content-type is not application/json");
    let body;
    try {
      body = JSON.parse(bodyText);
    } catch {
      problems.push(`body is not JSON: ${bodyText.slice(0, 80)}`);
      return problems;
    }
    const result = validatorFor(schema).validate(body);
    if (!result.valid) problems.push(`body ${bodyText}: ${JSON.stringify(result.errors.map((e) => e.error))}`);
  }
  return problems;
}
