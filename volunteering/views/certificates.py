"""Certificates: the PDF for its holder (and the organisation's staff), and the public check.

The check shows only what the certificate states about itself – the name as printed, the
organisation, the period, the hours and the issue date – and never the tasks or contact data.
"""
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from coproduction.permissions import allowed

from ..certificates import certificate_pdf
from ..forms import VerifyForm
from ..models import Certificate


def certificate_pdf_view(request, code):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    certificate = Certificate.objects.by_code(code)
    if certificate is None:
        raise Http404
    if not allowed(request.user, "volunteering.view_certificate", certificate):
        raise PermissionDenied
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.verification_code}.pdf"'
    return response


def _verify_page(request, *, form, certificate=None, checked=False, status=200):
    response = render(request, "volunteering/verify.html",
                      {"form": form, "certificate": certificate, "checked": checked}, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


def verify_view(request):
    """The form: a valid code goes to its own address, which can be bookmarked or printed."""
    if "code" not in request.GET:
        return _verify_page(request, form=VerifyForm())
    form = VerifyForm(request.GET)
    if form.is_valid():
        return redirect("volunteering:verify_code", form.cleaned_data["code"])
    return _verify_page(request, form=form, status=400)


def verify_code_view(request, code):
    certificate = Certificate.objects.by_code(code)
    form = VerifyForm(initial={"code": code})
    return _verify_page(request, form=form, certificate=certificate, checked=True,
                        status=200 if certificate else 404)
