from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from blog.extensions import page_parts
from blog.shortcuts import readable_course_or_404
from config.hooks import MANAGE_TABS
from imports import report, tasks
from imports.forms import ImportForm
from imports.models import ImportRun


def importable_course_or_403(request, course_slug):
    course = readable_course_or_404(request, course_slug)
    if not course.can_import(request.user):
        raise PermissionDenied("Only the course's instructors import into it.")
    return course


def _context(request, course, **extra):
    return {"course": course, "manage_tab": "import", **page_parts(request, course, MANAGE_TABS),
            **extra}  # fmt: skip


@login_required
def import_start(request, course_slug):
    course = importable_course_or_403(request, course_slug)
    tasks.give_up_dead_runs(course)
    form = ImportForm(request.POST or None, request.FILES or None)
    busy = request.method == "POST" and course.import_runs.active().exists()
    if busy:
        form.add_error(None, "An import into this course is still running. Its report shows "
                             "how far it is; start the next one when it has finished.")  # fmt: skip
    if request.method == "POST" and form.is_valid():
        run = ImportRun(course=course, started_by=request.user,
                        source_name=form.cleaned_data["export"].name[:255],
                        award_category=form.cleaned_data["award_category"])  # fmt: skip
        run.export_file.save("export.xml", form.cleaned_data["export"], save=False)
        if form.cleaned_data.get("media"):
            run.media_file.save("media.zip", form.cleaned_data["media"], save=False)
        run.save()
        transaction.on_commit(partial(tasks.run_import.enqueue, run_id=run.pk))
        return redirect("imports:import_detail", course_slug=course.slug, run_id=run.pk)
    runs = course.import_runs.select_related("started_by")[:20]
    return render(request, "imports/import_start.html", _context(request, course, form=form,
                  runs=runs), status=409 if busy else 200)  # fmt: skip


@login_required
def import_detail(request, course_slug, run_id):
    course = importable_course_or_403(request, course_slug)
    tasks.give_up_dead_runs(course)
    run = get_object_or_404(ImportRun, course=course, pk=run_id)
    done, total = tasks.progress_of(run)
    context = _context(request, course, run=run, done=done, total=total,
                       report=run.report or None)  # fmt: skip
    if run.report:
        context.update(sections=report.sections(run.report),
                       old_links=report.old_links_line(run.report))  # fmt: skip
    return render(request, "imports/import_detail.html", context)


@login_required
def import_progress(request, course_slug, run_id):
    course = importable_course_or_403(request, course_slug)
    tasks.give_up_dead_runs(course)
    run = get_object_or_404(ImportRun, course=course, pk=run_id)
    done, total = tasks.progress_of(run)
    return JsonResponse({"status": run.status, "label": run.status_label, "done": done,
                         "total": total, "finished": run.is_finished,
                         "waiting": run.waits_for_worker})  # fmt: skip


@require_POST
@login_required
def import_undo(request, course_slug, run_id):
    course = importable_course_or_403(request, course_slug)
    run = get_object_or_404(ImportRun, course=course, pk=run_id)
    if not run.can_be_undone:
        messages.error(request, "This import can't be undone: it didn't finish or was undone.")
    else:
        from imports.services import undo_import  # the importer loads when it is used

        undo_import(run=run)
        messages.success(request, "The import is undone: what it added is gone.")
    return redirect("imports:import_detail", course_slug=course.slug, run_id=run.pk)
