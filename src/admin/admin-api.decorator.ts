import { applyDecorators, createParamDecorator, ExecutionContext, UseGuards } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiForbiddenResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ValidateRequests } from '../http/validation-exception';
import { ADMIN_ACTOR, AdminAuthGuard, AdminRequest } from './admin-auth.guard';
import { ErrorView, ValidationErrorView } from './dto/error.dto';

/** An admin controller: guarded, validated, and documented with the answers every admin call can give. */
export const AdminApi = (tag: string) =>
  applyDecorators(
    ApiTags(tag),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ type: ErrorView, description: 'No credentials, a wrong ADMIN_TOKEN, or a JWT that does not verify' }),
    ApiForbiddenResponse({ type: ErrorView, description: 'A valid JWT without the admin role' }),
    UseGuards(AdminAuthGuard),
    ValidateRequests(),
  );

/** For the calls that validate parameters or a body. */
export const ApiValidationResponse = () => ApiBadRequestResponse({ type: ValidationErrorView, description: 'Invalid parameters or body; `details` per field' });

/** Who made this call (`admin-token` or `jwt:<sub>`), for the audit log lines. */
export const AdminActor = createParamDecorator((_data: unknown, context: ExecutionContext) => context.switchToHttp().getRequest<AdminRequest>()[ADMIN_ACTOR]);
