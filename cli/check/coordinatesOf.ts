import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  TypeInfo,
  typeFromAST,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';

/**
 * Every schema coordinate an operation depends on, in the schema it was written against:
 * the types it names or receives (`Product`), the fields it selects (`Product.price`), the
 * arguments it passes (`Query.product.upc`), the enum values it writes (`Color.RED`), the
 * directives it uses (`@include`), and every field of the input types its variables and
 * arguments take (a variable can carry any of them). What a schema change must not remove.
 */
export function coordinatesOf(schema: GraphQLSchema, document: DocumentNode): Set<string> {
  const used = new Set<string>();
  const addType = (type: GraphQLNamedType | null | undefined): void => {
    if (!type || used.has(type.name)) return;
    used.add(type.name);
    if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        used.add(`${type.name}.${field.name}`);
        addType(getNamedType(field.type));
      }
    }
  };
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field() {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (!parent || !field) return;
        addType(parent);
        used.add(`${parent.name}.${field.name}`);
        addType(getNamedType(field.type));
      },
      Argument(node) {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        const argument = typeInfo.getArgument();
        if (parent && field && argument) used.add(`${parent.name}.${field.name}.${node.name.value}`);
        if (argument) addType(getNamedType(argument.type));
      },
      VariableDefinition(node) {
        const type = typeFromAST(schema, node.type);
        if (type) addType(getNamedType(type));
      },
      EnumValue(node) {
        const type = getNamedType(typeInfo.getInputType());
        if (type && isEnumType(type)) used.add(`${type.name}.${node.value}`);
      },
      Directive(node) {
        used.add(`@${node.name.value}`);
      },
      InlineFragment(node) {
        if (node.typeCondition) addType(schema.getType(node.typeCondition.name.value));
      },
      FragmentDefinition(node) {
        addType(schema.getType(node.typeCondition.name.value));
      },
      OperationDefinition(node) {
        addType(schema.getRootType(node.operation));
      },
    }),
  );
  return used;
}
