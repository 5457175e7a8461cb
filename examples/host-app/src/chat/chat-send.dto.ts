import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** The `data` of a `chat.send` message. */
export class ChatSendDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  text!: string;
}
