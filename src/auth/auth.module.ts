import { Module } from '@nestjs/common';
import { TokenVerifier } from './token-verifier';

@Module({ providers: [TokenVerifier], exports: [TokenVerifier] })
export class AuthModule {}
