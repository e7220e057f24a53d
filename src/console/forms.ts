// A console page and the forms posted on it (CONTRACT §11): the page is drawn at its GET route
// from the route's parameters, and drawn again with the problem when the services refuse a
// form posted on it (sendRefusal), so every such route reads the same way.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiError } from '../errors.js';
import type { Html } from './html.js';
import { readConsoleForm, sendPage, sendRefusal } from './request.js';

/**
 * Draws a page from its route's parameters; with `problem`, a form posted on it was refused
 * and `posted` holds the fields it carried (a page whose form adds an object shows them again).
 */
export type DrawPage<Params> = (
  request: FastifyRequest,
  params: Params,
  problem?: ApiError,
  posted?: Record<string, string>,
) => Promise<Html>;

/** The parameters of a route that has none (a collection's page). */
export type NoParams = Record<string, never>;

/** The GET handler of a page: the page, 200. */
export function showPage<Params>(draw: DrawPage<Params>) {
  return async function objectPage(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    return sendPage(reply, 200, await draw(request, request.params as Params));
  };
}

/**
 * The POST handler of a form on a page: `act` takes the route's parameters and the
 * form's fields and answers (a 303 back to the page, mostly). A 4xx it throws is drawn on the
 * page with its status; anything else goes to the console's error handler.
 */
export function onPageForm<Params>(
  draw: DrawPage<Params>,
  act: (
    request: FastifyRequest,
    reply: FastifyReply,
    params: Params,
    form: Record<string, string>,
  ) => Promise<FastifyReply>,
) {
  return async function postedForm(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const params = request.params as Params;
    const form = readConsoleForm(request);
    try {
      return await act(request, reply, params, form);
    } catch (error) {
      return sendRefusal(reply, error, (problem) => draw(request, params, problem, form));
    }
  };
}
