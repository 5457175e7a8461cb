/** For types whose `data` carries nothing: any property in it is refused. */
export class EmptyDto {}
