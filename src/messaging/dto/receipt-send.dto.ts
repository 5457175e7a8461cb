import { IsIn, IsInt, IsString, Length, Min } from 'class-validator';
import { ReceiptState } from '../../protocol';

/** `receipt.send`: the `messageId`, `offset` and `epoch` of a `direct` frame this user received. */
export class ReceiptSendDto {
  @IsString()
  @Length(1, 128)
  messageId!: string;

  /** The message's offset in this user's stream (a stored message's is at least 1). */
  @IsInt()
  @Min(1)
  offset!: number;

  @IsString()
  @Length(1, 64)
  epoch!: string;

  @IsIn(Object.values(ReceiptState), { message: `state must be one of: ${Object.values(ReceiptState).join(', ')}` })
  state!: ReceiptState;
}
