import { IsString, Length } from 'class-validator';

/** `auth.refresh`: a fresh JWT for the same `sub`, sent before the connection's token expires. */
export class AuthRefreshDto {
  // 8 KiB: far above a real token, and the frame is bounded by MAX_PAYLOAD_BYTES anyway.
  @IsString()
  @Length(1, 8192)
  token!: string;
}
